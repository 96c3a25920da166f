import { athenaDdl } from '../athena/create-table-ddl.js';
import { glueJson } from '../athena/glue-table-input.js';
import { s3LakeOf } from '../athena/lake-location.js';
import type { TableDefinitionOptions } from '../athena/table-definition.js';
import type { DdlFlags } from './ddl-command.js';
import { EXIT } from './exit-codes.js';

/** `durable-export ddl`: prints the tables' DDL or Glue TableInput JSON. */
export function ddlAction(flags: DdlFlags): void {
  const options: TableDefinitionOptions = {
    lake: s3LakeOf(flags.out, 'ddl'),
    database: flags.database,
    tablePrefix: flags.tablePrefix,
    projectionStart: flags.projectionStart,
  };
  process.stdout.write(flags.format === 'glue-json' ? glueJson(options) : athenaDdl(options));
  process.exitCode = EXIT.ok;
}
