import { z } from 'zod';
import { partialConfigSchema } from './config-schema.js';

/**
 * The JSON Schema of a config file (`config/schema.json`), generated from the same zod schema
 * that parses it, so editors can complete and check keys. `npm run docs` writes it; a test fails
 * when the checked-in file is stale.
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(partialConfigSchema, { io: 'input' }),
    $id: 'https://github.com/durable-export/durable-export/config/schema.json',
    title: 'durable-export configuration',
  };
}
