import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readLakeTable } from './support/lake-reader.js';
import { freePort } from './support/local-servers-cli.js';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

/** The first `sh` code block after `heading` in the README, as a reader pastes it. */
async function shellBlockUnder(heading: string): Promise<string> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf(`\n${heading}\n`));
  const block = /^```sh\n([\s\S]*?)^```$/m.exec(after)?.[1];
  if (!readme.includes(`\n${heading}\n`) || block === undefined)
    throw new Error(`no sh block under ${heading}`);
  return block;
}

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

  it('"Try it locally" works as pasted: local service, local S3, export, query, verify, the state source', async () => {
    const block = await shellBlockUnder('## Try it locally');
    // As written, but on ports and in directories of its own, so that it clashes with nothing.
    const work = await mkdtemp(join(tmpdir(), 'readme-try-'));
    const [lambda, s3] = [await freePort(), await freePort()];
    for (const text of ['9001', '9002', '/tmp/']) expect(block).toContain(text);
    const script = block
      .replaceAll('9001', String(lambda))
      .replaceAll('9002', String(s3))
      .replaceAll('/tmp/', `${work}/`);
    // As pasted into an interactive bash: job control (`set -m`) gives each `&` job its own process
    // group, which `kill %1` stops whole (npx and the node it starts). `-e` stops at the first
    // command that fails, and the trap then stops the jobs that are left.
    // (SIGTERM, sent if the block runs too long, ends the shell through the same trap.)
    const harness = `set -m\ntrap 'for job in $(jobs -p); do kill -- -$job 2>/dev/null; done' EXIT\ntrap 'exit 143' TERM\n`;
    const shell = spawn('bash', ['-e', '-c', harness + script], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    shell.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    shell.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const tooLong = setTimeout(() => shell.kill('SIGTERM'), 200_000);
    try {
      const [code] = (await once(shell, 'close')) as [number | null];
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      expect(stdout).toMatch(
        /local durable-execution service listening on http:\/\/127\.0\.0\.1:\d+ \(50 executions\)/,
      );
      expect(stdout).toContain(
        `export AWS_ENDPOINT_URL_S3=http://127.0.0.1:${s3} AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER`,
      );
      expect(stdout).toContain('export complete');
      expect(stdout).toMatch(/^dt +status +executions +avg_seconds$/m);
      expect(stdout).toMatch(/\(\d+ rows?\)/);
      const state = await readLakeTable(join(work, 'durable-state-lake'), 'executions');
      expect(state.rows).toHaveLength(50);
      // `kill %1 %2` stopped both servers.
      for (const port of [lambda, s3]) await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    } finally {
      clearTimeout(tooLong);
      if (shell.exitCode === null) shell.kill('SIGKILL');
      await rm(work, { recursive: true, force: true });
    }
  }, 240_000);
});
