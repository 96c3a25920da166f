import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../src/generated-files.js';

const root = join(import.meta.dirname, '..');

describe('files generated from code', () => {
  for (const [path, content] of Object.entries(generatedFiles())) {
    it(`${path} is up to date (run \`npm run docs\` after changing the schema or config)`, async () => {
      expect(await readFile(join(root, path), 'utf8')).toBe(content);
    });
  }

  it('config/default.json declares its schema and holds every key of each section', async () => {
    const schema = JSON.parse(await readFile(join(root, 'config/schema.json'), 'utf8'));
    const defaults = JSON.parse(await readFile(join(root, 'config/default.json'), 'utf8'));
    expect(defaults.$schema).toBe('./schema.json');
    for (const section of ['lambda', 'sink']) {
      expect(Object.keys(defaults[section]).sort()).toEqual(
        Object.keys(schema.properties[section].properties).sort(),
      );
    }
  });
});
