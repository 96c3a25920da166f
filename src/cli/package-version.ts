import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultConfigPath } from '../config/default-config-path.js';

/** The version in this package's package.json. */
export function packageVersion(): string {
  const root = dirname(dirname(defaultConfigPath()));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
