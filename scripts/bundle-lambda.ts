import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * `npm run bundle`: each `src/lambda/*-handler.ts` as one ESM file for the Lambda Node.js 22
 * runtime, `dist/lambda/<handler>/index.mjs` (handler `index.handler`), which the CDK construct in
 * deploy/ takes as its asset. Offline and without Docker. Everything is bundled, our pinned AWS
 * SDK too (the runtime's SDK version is not ours to choose). Next to it go what the code reads
 * from the package at run time: config/default.json (the shipped defaults) and a package.json
 * (the package root they are found from, and the version written into Parquet footers).
 *
 * A handler must not need DuckDB: it is a native module (built per platform), which a bundle for
 * arm64 Lambda cannot carry. An import of it fails the bundle, naming the file that imports it.
 */

const root = join(fileURLToPath(import.meta.url), '..', '..');

/** Native packages a bundle cannot carry, by import specifier. */
const NATIVE = /^@duckdb\//;

export interface BundledHandler {
  readonly entry: string;
  readonly outDir: string;
  /** Source files in the bundle, relative to the repository root. */
  readonly inputs: readonly string[];
  readonly bytes: number;
}

/** Bundles one entry into `outDir/index.mjs` with the files it reads at run time. */
export async function bundleHandler(entry: string, outDir: string): Promise<BundledHandler> {
  await rm(outDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [entry],
    outfile: join(outDir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    // CommonJS dependencies call require(); an ESM bundle has none unless it is made.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    plugins: [refuseNative(entry)],
  });
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  await writeFile(
    join(outDir, 'package.json'),
    `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module' }, null, 2)}\n`,
  );
  await mkdir(join(outDir, 'config'), { recursive: true });
  await copyFile(join(root, 'config', 'default.json'), join(outDir, 'config', 'default.json'));
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  return {
    entry,
    outDir,
    inputs: Object.keys(result.metafile.inputs),
    bytes: output?.bytes ?? 0,
  };
}

function refuseNative(entry: string): Plugin {
  return {
    name: 'refuse-native',
    setup(b) {
      b.onResolve({ filter: NATIVE }, (args) => ({
        errors: [
          {
            text: `${relative(root, entry)} needs ${args.path}, a native module a Lambda bundle cannot carry: ${relative(root, args.importer)} ${args.kind === 'dynamic-import' ? 'loads it with import()' : 'imports it'}`,
          },
        ],
      }));
    },
  };
}

/** The handler entries: `src/lambda/*-handler.ts`. */
export async function handlerEntries(dir = join(root, 'src', 'lambda')): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('-handler.ts'))
    .sort()
    .map((n) => join(dir, n));
}

/** `dist/lambda`: where the construct looks for the handlers by default. */
export const LAMBDA_OUT_DIR = join(root, 'dist', 'lambda');

async function main(): Promise<void> {
  const entries = await handlerEntries();
  if (entries.length === 0) {
    throw new Error('no src/lambda/*-handler.ts to bundle: the Lambda handlers are not in this checkout');
  }
  for (const entry of entries) {
    const bundled = await bundleHandler(entry, join(LAMBDA_OUT_DIR, basename(entry, '.ts')));
    const kib = Math.round(bundled.bytes / 1024);
    process.stdout.write(
      `${relative(root, bundled.outDir)}/index.mjs: ${kib} KiB from ${bundled.inputs.length} files\n`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    const text = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bundle: ${text}\n`);
    process.exitCode = 1;
  });
}
