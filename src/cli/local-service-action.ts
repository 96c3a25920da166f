import { writeFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { loadDataFile } from '../local/data-file.js';
import { startLocalService } from '../local/service/local-service.js';
import { statusChangeLines } from '../local/service/status-change-events.js';
import { startLocalSts } from '../local/sts/local-sts.js';
import { generateSyntheticExecutions } from '../local/synthetic/generate-executions.js';
import { stopSignal } from './local-server-options.js';
import type { LocalServiceFlags } from './local-service-command.js';

const ACCOUNT = /^\d{12}$/;

/** `--sts-role ARN[=EXTERNAL_ID]` values as the STS stand-in's roles. */
function stsRolesOf(values: readonly string[]): Record<string, { externalId?: string }> {
  return Object.fromEntries(
    values.map((value) => {
      const at = value.indexOf('=');
      return at < 0 ? [value, {}] : [value.slice(0, at), { externalId: value.slice(at + 1) }];
    }),
  );
}

/** `durable-export local-service`: runs the local durable-execution service until SIGINT or SIGTERM. */
export async function localServiceAction(flags: LocalServiceFlags): Promise<void> {
  if (flags.data && flags.synthetic !== undefined) {
    throw new ConfigError('--data and --synthetic cannot be used together');
  }
  const executions = flags.data
    ? await loadDataFile(flags.data)
    : generateSyntheticExecutions({
        count: flags.synthetic ?? 50,
        seed: flags.seed,
        functionNames: flags.functions.split(',').filter(Boolean),
      });
  if (!ACCOUNT.test(flags.defaultAccount))
    throw new ConfigError(`--default-account must be 12 digits, got ${flags.defaultAccount}`);
  const service = await startLocalService({
    executions,
    host: flags.host,
    port: flags.port,
    callerRouting: flags.callerRouting ? { defaultAccount: flags.defaultAccount } : undefined,
  });
  const sts = flags.stsRole
    ? await startLocalSts({ roles: stsRolesOf(flags.stsRole), host: flags.host, port: flags.stsPort })
    : undefined;
  const writeOut = async (flag: string, file: string | undefined, text: () => string) => {
    if (!file) return;
    await writeFile(file, text()).catch(async (error: Error) => {
      await service.close();
      await sts?.close();
      throw new ConfigError(`cannot write ${flag} ${file}: ${error.message}`, { file }, { cause: error });
    });
  };
  await writeOut('--token-manifest-out', flags.tokenManifestOut, () => service.tokenManifest());
  await writeOut('--events-out', flags.eventsOut, () => statusChangeLines(executions));
  process.stdout.write(
    `local durable-execution service listening on ${service.url} (${executions.length} executions)\n`,
  );
  if (sts) process.stdout.write(`local STS stand-in listening on ${sts.url}\n`);
  await stopSignal();
  await service.close();
  await sts?.close();
}
