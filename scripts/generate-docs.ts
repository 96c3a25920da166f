/**
 * `npm run docs`: writes the files generated from code, `docs/COLUMNS.md` (from the schema module)
 * and `config/schema.json` (from the config schema). test/generated-docs.test.ts fails when they
 * are stale.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generatedFiles } from '../src/generated-files.js';

const root = join(import.meta.dirname, '..');
for (const [path, content] of Object.entries(generatedFiles())) {
  await writeFile(join(root, path), content);
  console.log(`wrote ${path}`);
}
