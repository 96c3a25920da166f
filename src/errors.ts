import { describeForeignError } from './safe-error-text.js';

/**
 * Errors that carry where they happened. Every error the tool raises on purpose is an
 * `ExportError`; the original error, if any, is its `cause`.
 */
export type Stage = 'config' | 'source' | 'transform' | 'sink' | 'commit';

export interface ErrorContext {
  stage: Stage;
  executionArn?: string;
  functionName?: string;
  marker?: string;
  key?: string;
  file?: string;
}

export class ExportError extends Error {
  override readonly name: string = 'ExportError';
  readonly context: ErrorContext;

  constructor(message: string, context: ErrorContext, options?: { cause?: unknown }) {
    super(message, options);
    this.context = context;
  }
}

/** A configuration or usage mistake: the CLI exits with code 2. */
export class ConfigError extends ExportError {
  override readonly name = 'ConfigError';

  constructor(message: string, context: Omit<ErrorContext, 'stage'> = {}, options?: { cause?: unknown }) {
    super(message, { ...context, stage: 'config' }, options);
  }
}

/**
 * One line for a thrown value: our own errors by their message (it already names the context),
 * others (SDK exceptions, system errors) as `Name: message` so the exception class is visible,
 * without any response body text (`describeForeignError`).
 */
export function describeError(error: unknown): string {
  if (error instanceof ExportError) return error.message;
  if (error instanceof Error) return describeForeignError(error);
  return String(error);
}
