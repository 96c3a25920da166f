import type { S3Client } from '@aws-sdk/client-s3';
import { type AwsConnection, clientOptionsOf } from '../aws/aws-connection.js';
import { createS3Client } from '../aws/s3-client.js';
import { ConfigError } from '../errors.js';
import { type OpenedManifest, openManifest } from './open-manifest.js';
import type { StateTarget } from './read-state.js';
import type { InvalidInputLine } from './state-source.js';
import { parseManifestLines } from './token-manifest.js';

/** The executions a state-source run reads, and how to release what reading them holds. */
export interface StateJobInput {
  targets: AsyncIterable<StateTarget | InvalidInputLine> | Iterable<StateTarget>;
  /** Names the input in reports of invalid lines. */
  inputName: string;
  /** Releases the S3 client of an `s3://` manifest; call after the run. */
  close(): void;
}

/** The connection reaches an `s3://` manifest. */
export interface StateJobInputOptions extends AwsConnection {
  /** The manifest (`--manifest`): a local path or `s3://BUCKET/KEY`. */
  manifest?: string;
  /** Executions given in code instead of a manifest (`exportFromInvocation`). */
  targets?: Iterable<StateTarget>;
  /** Stops opening an `s3://` manifest (SIGINT, SIGTERM). */
  signal?: AbortSignal;
}

/**
 * Opens the input of a state-source run: the targets given in code, or the manifest, opened now
 * (a manifest that cannot be read is a `ConfigError` before any export work) and parsed line by
 * line as the run pulls it.
 */
export async function openStateJobInput(options: StateJobInputOptions): Promise<StateJobInput> {
  if (options.targets) return { targets: options.targets, inputName: 'targets', close: () => {} };
  if (!options.manifest) throw new ConfigError('no manifest: --source state needs --manifest FILE');
  let s3: S3Client | undefined;
  const close = () => s3?.destroy();
  let manifest: OpenedManifest;
  try {
    manifest = await openManifest(
      options.manifest,
      () => {
        s3 = createS3Client(clientOptionsOf(options, 's3'));
        return s3;
      },
      options.signal,
    );
  } catch (error) {
    close();
    throw error;
  }
  return {
    targets: parseManifestLines(manifest.lines),
    inputName: manifest.name,
    close,
  };
}
