import { cookbookMarkdown } from './athena/cookbook-markdown.js';
import { configJsonSchema } from './config/config-json-schema.js';
import { columnsMarkdown } from './schema/columns-doc.js';
import { LAKE_TABLES, SCHEMA_VERSION } from './schema/index.js';

/** Files generated from code, by path relative to the package root, with their content. */
export function generatedFiles(): Record<string, string> {
  return {
    'docs/COLUMNS.md': columnsMarkdown(LAKE_TABLES, SCHEMA_VERSION),
    'config/schema.json': `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
    'docs/QUERIES.md': cookbookMarkdown(),
  };
}
