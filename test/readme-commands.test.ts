import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

/** The lines of the README's `sh` code blocks: what a reader pastes into a shell. */
async function shellLines(): Promise<string[]> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((block) =>
    (block[1] ?? '').split('\n').filter((line) => line.trim() !== ''),
  );
}

describe("the README's commands work as pasted", () => {
  it('runs the CLI as `npx durable-export` (after `npm install` there is no durable-export on PATH)', async () => {
    const lines = await shellLines();
    expect(lines.filter((line) => line.includes('durable-export')).length).toBeGreaterThan(5);
    expect(lines.filter((line) => /(^|[^\w/-])(?<!npx )durable-export\b/.test(line))).toEqual([]);
  });

  it('writes lakes outside the clone (a lake inside it would be linted and listed by git)', async () => {
    const outs = (await shellLines()).flatMap((line) =>
      [...line.matchAll(/--out[ =](\S+)/g)].map((m) => m[1]),
    );
    expect(outs.length).toBeGreaterThan(5);
    expect(outs.filter((out) => !/^(s3:\/\/|\/|~\/)/.test(out ?? ''))).toEqual([]);
  });

  it('keeps a lake written inside the clone out of git and biome anyway', async () => {
    // `lake` as the README used to write it, and lakes by other names, known by their folders.
    const dirs = [
      'lake/_manifests',
      `my-lake-${process.pid}/_state/job`,
      `out-${process.pid}/operations/dt=2026-01-01`,
    ];
    const tops = dirs.map((dir) => dir.split('/')[0] as string);
    const existed = await Promise.all(
      tops.map((top) =>
        stat(join(root, top)).then(
          () => true,
          () => false,
        ),
      ),
    );
    const files = dirs.map((dir) => `${dir}/readme-test.json`);
    try {
      for (const [i, file] of files.entries()) {
        await mkdir(join(root, dirs[i] as string), { recursive: true });
        // Not as biome formats JSON: biome fails if it looks at the file.
        await writeFile(join(root, file), '{"a":1,   "b":[1,2]}');
      }
      const ignored = await run('git', ['check-ignore', ...files], { cwd: root });
      expect(ignored.stdout.trim().split('\n')).toEqual(files);
      const biome = await run('npx', ['biome', 'check', '--no-errors-on-unmatched', ...tops], { cwd: root });
      expect(`${biome.stdout}${biome.stderr}`).toMatch(/Checked 0 files/);
    } finally {
      for (const [i, top] of tops.entries()) {
        await rm(join(root, existed[i] ? (files[i] as string) : top), { recursive: true, force: true });
      }
    }
  });
});
