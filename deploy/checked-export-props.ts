import { issuesToError } from '../src/config/config-issues.js';
import { type PartialConfig, partialConfigSchema } from '../src/config/config-schema.js';

/** `export` settings a `DurableExport` takes as props (`functions`, `targets`, ...). */
export type ExportProps = NonNullable<PartialConfig['export']>;

/**
 * `export` settings given as construct props, checked by the config schema (the one owner of their
 * formats) at synth time, as the handlers will load them. An error names the prop as a user wrote
 * it: `props` are the props' names with any nested field (`targets.region`), each reported as
 * `DurableExport <name>` with spaces for dots (`DurableExport targets region`); an issue's path
 * has no array index (`export.targets.0.region` is `export.targets.region`).
 * @throws ConfigError naming each wrong prop.
 */
export function checkedExportProps(value: Record<string, unknown>, props: readonly string[]): ExportProps {
  const config = { export: value };
  const checked = partialConfigSchema.safeParse(config);
  if (!checked.success) {
    throw issuesToError(checked.error, {
      origin: 'DurableExport props',
      value: config,
      names: Object.fromEntries(
        props.map((name) => [`export.${name}`, `DurableExport ${name.replaceAll('.', ' ')}`]),
      ),
    });
  }
  return checked.data.export ?? {};
}
