import { access, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../src/config/config-schema.js';
import { generatedFiles } from '../src/generated-files.js';

const root = join(import.meta.dirname, '..');

/** Every code file under `dir` (recursively), as paths relative to the repository root. */
async function codeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs|cjs)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** The section numbers of docs/DURABLE-API.md (`1`, `1.2`, ...), from its headings. */
async function durableApiSections(): Promise<Set<string>> {
  const text = await readFile(join(root, 'docs/DURABLE-API.md'), 'utf8');
  return new Set([...text.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1] as string));
}

/**
 * `FILE:LINE: reason` for each citation of a document that is not in the repository, and of a
 * docs/DURABLE-API.md section that it does not have.
 */
async function brokenDocCitations(file: string, sections: Set<string>): Promise<string[]> {
  const problems: string[] = [];
  const lines = (await readFile(join(root, file), 'utf8')).split('\n');
  for (const [i, line] of lines.entries()) {
    const at = `${file}:${i + 1}`;
    for (const [, cited] of line.matchAll(/\bdocs\/([\w.-]+\.md)\b/g)) {
      const exists = await access(join(root, 'docs', cited as string)).then(
        () => true,
        () => false,
      );
      if (!exists) problems.push(`${at}: cites docs/${cited}, which does not exist`);
    }
    for (const m of line.matchAll(/durable-api\.md/gi)) {
      if (line.slice(Math.max(0, m.index - 5), m.index + m[0].length) !== 'docs/DURABLE-API.md') {
        problems.push(`${at}: cites ${m[0]} without its path; cite docs/DURABLE-API.md`);
      }
    }
    for (const [, list] of line.matchAll(/docs\/DURABLE-API\.md ((?:§[\d.]*\d(?:, )?)+)/g)) {
      for (const [, section] of (list as string).matchAll(/§([\d.]*\d)/g)) {
        if (!sections.has(section as string)) problems.push(`${at}: docs/DURABLE-API.md has no §${section}`);
      }
    }
    if (/shared\/docs\//.test(line))
      problems.push(`${at}: cites shared/docs/, which is not in the repository`);
  }
  return problems;
}

describe('files generated from code', () => {
  for (const [path, content] of Object.entries(generatedFiles())) {
    it(`${path} is up to date (run \`npm run docs\` after changing the schema or config)`, async () => {
      expect(await readFile(join(root, path), 'utf8')).toBe(content);
    });
  }

  it('config/default.json declares its schema and holds every required key of each section', async () => {
    const schema = JSON.parse(await readFile(join(root, 'config/schema.json'), 'utf8'));
    const defaults = JSON.parse(await readFile(join(root, 'config/default.json'), 'utf8'));
    expect(defaults.$schema).toBe('./schema.json');
    for (const section of ['lambda', 'sink'] as const) {
      const keys = Object.keys(schema.properties[section].properties);
      // Optional keys (`lambda.requestsPerSecond`, default: no cap) have no default to hold.
      const shape = configSchema.shape[section].shape as Record<string, z.ZodType>;
      const required = keys.filter((key) => !(shape[key] instanceof z.ZodOptional));
      expect(Object.keys(defaults[section]).sort()).toEqual(required.sort());
    }
  });
});

describe('documents cited by code', () => {
  it('are in the repository: docs/*.md, and docs/DURABLE-API.md §N with an existing N', async () => {
    const self = relative(root, import.meta.filename);
    const sections = await durableApiSections();
    expect(sections.has('3.3')).toBe(true);
    const files = (await Promise.all(['src', 'test', 'scripts', 'bench', 'deploy'].map(codeFiles))).flat();
    expect(files.length).toBeGreaterThan(100);
    const problems = await Promise.all(
      files.filter((f) => f !== self).map((f) => brokenDocCitations(f, sections)),
    );
    expect(problems.flat()).toEqual([]);
  });
});
