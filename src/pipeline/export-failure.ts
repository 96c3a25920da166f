import { describeError, type ErrorContext, ExportError, type Stage } from '../errors.js';

/**
 * One execution, function listing or input-manifest line that failed, with where it failed: the
 * error's stage and context (execution ARN, function name, page marker, S3 key, file), so a
 * `--summary-json` reader can tell which page or object it was.
 */
export interface ExportFailure extends ErrorContext {
  /** Execution ARN, function name when its listing failed, or `manifest:line` for an input line. */
  subject: string;
  message: string;
  /** Set when the failure is a bad line of an input manifest (1-based): skipped, not an execution. */
  inputLine?: number;
  /** Set when the failure is a function's listing (`subject` is the function): not an execution. */
  listing?: boolean;
}

/** Which kind of subject failed, when it is not an execution. */
export type FailedSubject = Pick<ExportFailure, 'inputLine' | 'listing'>;

/**
 * The failure record of `error` for `subject`. An `ExportError` brings its own context; any other
 * error (a bug, an unexpected SDK shape) is attributed to `stage`, where it was caught.
 */
export function failureOf(
  subject: string,
  error: unknown,
  stage: Stage,
  what: FailedSubject = {},
): ExportFailure {
  const context: ErrorContext = error instanceof ExportError ? error.context : { stage };
  return {
    subject,
    message: describeError(error),
    ...context,
    inputLine: what.inputLine,
    listing: what.listing,
  };
}
