import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE_ENV } from './env-config.js';

/** The user config file of a run and how it was found (shown by `config print`). */
export interface UserConfigFile {
  readonly path: string;
  /** `--config`, `DURABLE_EXPORT_CONFIG` or `default location`. */
  readonly foundBy: string;
}

/**
 * The documented default location of the user config file:
 * `$XDG_CONFIG_HOME/durable-export/config.json`, else `~/.config/durable-export/config.json`;
 * undefined when neither `XDG_CONFIG_HOME` nor a home directory is set.
 */
export function defaultUserConfigPath(env: NodeJS.ProcessEnv): string | undefined {
  const base =
    env.XDG_CONFIG_HOME ||
    ((env.HOME || env.USERPROFILE) && join(env.HOME || env.USERPROFILE || '', '.config'));
  return base ? join(base, 'durable-export', 'config.json') : undefined;
}

/**
 * The user config file layered over the shipped defaults: `--config FILE`, else the file named by
 * `DURABLE_EXPORT_CONFIG` (both must exist), else the default location when a file is there.
 */
export function userConfigFileOf(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): UserConfigFile | undefined {
  if (file) return { path: file, foundBy: '--config' };
  const named = env[CONFIG_FILE_ENV];
  if (named) return { path: named, foundBy: CONFIG_FILE_ENV };
  const path = defaultUserConfigPath(env);
  return path && existsSync(path) ? { path, foundBy: 'default location' } : undefined;
}
