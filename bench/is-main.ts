import { fileURLToPath } from 'node:url';

/** Whether the module at `url` is the script Node was started with (not imported by `bench/all.ts`). */
export function isMain(url: string): boolean {
  return process.argv[1] === fileURLToPath(url);
}
