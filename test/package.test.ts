import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('the published package', () => {
  it('contains what a user needs and nothing else', () => {
    const [report] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as [{ files: { path: string }[] }];
    const files = report.files.map((f) => f.path);
    for (const needed of [
      'bin/durable-export.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
      // The scheduled Lambda handler: `dist/src/lambda/scheduled-handler.handler`.
      'dist/src/lambda/scheduled-handler.js',
      'dist/src/lambda/events-handler.js',
      'dist/src/lambda/work-item-handler.js',
      'config/default.json',
      'config/schema.json',
      'README.md',
      'package.json',
    ]) {
      expect(files, needed).toContain(needed);
    }
    const stray = files.filter(
      (f) => /^(test|bench|scripts|src|node_modules|\.ci)\//.test(f) || f.endsWith('.test.js'),
    );
    expect(stray).toEqual([]);
  });

  it('states its Node engines honestly and exposes an ESM entry with types and a bin', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.engines.node).toBe('>=20.19.0');
    expect(pkg.exports['.']).toEqual({ types: './dist/src/index.d.ts', import: './dist/src/index.js' });
    expect(pkg.bin['durable-export']).toBe('./bin/durable-export.js');
  });

  /**
   * The one deliberate exception: `durable-export local-s3` runs s3rver, a devDependency. Only this
   * file names it, resolving it at run time (`require.resolve`) for a child that loads it with a
   * dynamic `import()`; without it the command says how to install it (test/local-s3-command.test.ts).
   */
  const OPTIONAL_DEV_IMPORTS: Record<string, string> = { s3rver: join('local', 's3rver-process.ts') };

  it('publishes only code that runs from the package: src/ imports its dependencies and itself', () => {
    const src = join(root, 'src');
    const problems: string[] = [];
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (!/\.[cm]?[jt]s$/.test(file)) continue;
      const text = readFileSync(join(src, file), 'utf8');
      const optional = [...text.matchAll(/\bresolve\('([^'.][^']*)'\)/g)].map((m) => m[1] ?? '');
      for (const name of optional) {
        if (OPTIONAL_DEV_IMPORTS[name] !== file) problems.push(`${file} resolves ${name}, not allowed here`);
      }
      const specifiers = [
        ...text.matchAll(/^(?:import|export|\})[^'\n]*from '([^']+)'/gm),
        ...text.matchAll(/\bimport\('([^']+)'\)/g),
      ].map((m) => m[1] ?? '');
      for (const specifier of specifiers) {
        if (specifier.startsWith('.')) {
          const target = relative(src, resolve(dirname(join(src, file)), specifier));
          if (target.startsWith('..')) problems.push(`${file} imports ${specifier}, outside src/`);
          continue;
        }
        const name = specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/');
        if (!specifier.startsWith('node:') && !(name in pkg.dependencies)) {
          problems.push(`${file} imports ${specifier}, not a dependency`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('exports the library API from its entry point', async () => {
    const api = await import('../src/index.js');
    for (const name of [
      'runExportJob',
      'runExport',
      'historySource',
      'createLambdaClient',
      'RateLimiter',
      'loadConfig',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(api.operationsTable.columns.length).toBeGreaterThan(20);
  });
});
