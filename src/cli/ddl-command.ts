import { type Command, Option } from 'commander';
import { DEFAULT_DATABASE, DEFAULT_PROJECTION_START } from '../athena/catalog-names.js';
import { TABLE_NAMES } from '../schema/index.js';

export interface DdlFlags {
  out: string;
  database: string;
  tablePrefix: string;
  format: 'athena' | 'glue-json';
  projectionStart: string;
}

export function registerDdlCommand(program: Command): void {
  program
    .command('ddl')
    .description(
      `Print the Athena DDL (CREATE EXTERNAL TABLE with partition projection) of the tables ${TABLE_NAMES.join(', ')}, or the same as Glue TableInput JSON.`,
    )
    .requiredOption('-o, --out <location>', 's3://BUCKET/PREFIX, the --out of the export')
    .option('--database <name>', 'Athena/Glue database', DEFAULT_DATABASE)
    .option(
      '--table-prefix <prefix>',
      'prefix for the table names, e.g. prod_ (the S3 folders keep their names)',
      '',
    )
    .addOption(
      new Option('--format <format>', 'athena: DDL statements; glue-json: Glue TableInput objects')
        .choices(['athena', 'glue-json'])
        .default('athena'),
    )
    .option(
      '--projection-start <day>',
      'first dt day (YYYY-MM-DD) of partition projection; earlier days return no rows',
      DEFAULT_PROJECTION_START,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  durable-export ddl --out s3://my-lake/durable > tables.sql\n  durable-export ddl --out s3://my-lake/durable --format glue-json | jq .operations > operations-table.json\n  aws glue create-table --cli-input-json file://operations-table.json\n',
    )
    .action(async (flags: DdlFlags) => {
      // Loaded here so that `--help` and the other commands never load the table definitions.
      const { ddlAction } = await import('./ddl-action.js');
      ddlAction(flags);
    });
}
