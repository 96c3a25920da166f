import type { StateTarget } from './read-state.js';
import type { InvalidInputLine } from './state-source.js';

/**
 * A token manifest is JSON Lines, one execution per line:
 * `{"durableExecutionArn": "arn:aws:lambda:...:function:NAME:QUALIFIER/durable-execution/NAME/ID", "checkpointToken": "..."}`.
 * Other members are ignored; blank lines are skipped without complaint.
 */

const NAME = '[a-zA-Z0-9_-]+';
/**
 * docs/DURABLE-API.md §1.2:
 * `arn:…:lambda:…:\d{12}:function:NAME:($LATEST(.PUBLISHED)?|[0-9]+)/durable-execution/NAME/ID`.
 */
const EXECUTION_ARN = new RegExp(
  `^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:${NAME}:(\\$LATEST(\\.PUBLISHED)?|[0-9]+)/durable-execution/${NAME}/${NAME}$`,
);
const MAX_ARN_LENGTH = 1024;
/** docs/DURABLE-API.md §1.2: 1-2048 characters of base64, `[A-Za-z0-9+/]+={0,2}`. */
const CHECKPOINT_TOKEN = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_TOKEN_LENGTH = 2048;

/** Shows an ARN in a reason: JSON-quoted (control characters escaped), cut when long. */
function shown(value: string, max = 120): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/**
 * Reasons never quote a line or a token: a line holds a checkpoint token, which lets its holder read
 * the execution's state, so only positions, lengths and kinds are reported (V8's JSON messages quote
 * the text around the error, so they are not passed on either).
 */
function jsonProblem(error: unknown): string {
  const position = /at position (\d+)/.exec((error as Error)?.message ?? '')?.[1];
  return `not valid JSON${position !== undefined ? ` (at character ${Number(position) + 1})` : ''}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** What is wrong with an execution ARN and checkpoint token (docs/DURABLE-API.md §1.2), or undefined. */
export function targetProblem(arn: string, token: string): string | undefined {
  if (arn.length > MAX_ARN_LENGTH || !EXECUTION_ARN.test(arn)) {
    return `malformed durableExecutionArn ${shown(arn)}: expected arn:aws:lambda:REGION:ACCOUNT:function:NAME:QUALIFIER/durable-execution/NAME/ID`;
  }
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !CHECKPOINT_TOKEN.test(token)) {
    return `malformed checkpointToken (${token.length} characters): expected 1-${MAX_TOKEN_LENGTH} base64 characters ([A-Za-z0-9+/], up to two "=" at the end)`;
  }
  return undefined;
}

/** One manifest line for an execution and its checkpoint token (what `parseManifestLine` reads). */
export function manifestLine(target: Pick<StateTarget, 'executionArn' | 'checkpointToken'>): string {
  return JSON.stringify({
    durableExecutionArn: target.executionArn,
    checkpointToken: target.checkpointToken,
  });
}

/**
 * Parses one manifest line. Returns the target, an invalid-line record naming what is wrong, or
 * undefined for a blank line. `seen` maps ARNs to the line that first listed them: a repeated ARN is
 * invalid (reading it twice would double its rows).
 */
export function parseManifestLine(
  text: string,
  line: number,
  seen: Map<string, number>,
): StateTarget | InvalidInputLine | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const invalid = (reason: string): InvalidInputLine => ({ kind: 'invalid', line, reason });
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    return invalid(jsonProblem(error));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(`expected a JSON object {"durableExecutionArn", "checkpointToken"}, got ${kindOf(value)}`);
  }
  const { durableExecutionArn: arn, checkpointToken: token } = value as Record<string, unknown>;
  if (typeof arn !== 'string') return invalid('missing "durableExecutionArn" (a string)');
  if (typeof token !== 'string') return invalid('missing "checkpointToken" (a string)');
  const problem = targetProblem(arn, token);
  if (problem) return invalid(problem);
  const first = seen.get(arn);
  if (first !== undefined) return invalid(`execution ${arn} already listed on line ${first}`);
  seen.set(arn, line);
  return { executionArn: arn, checkpointToken: token };
}

/** Every line of a manifest as a target or an invalid-line record, in order; blank lines are skipped. */
export async function* parseManifestLines(
  lines: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<StateTarget | InvalidInputLine> {
  const seen = new Map<string, number>();
  let line = 0;
  for await (const text of lines) {
    line++;
    const parsed = parseManifestLine(line === 1 ? text.replace(/^\uFEFF/, '') : text, line, seen);
    if (parsed) yield parsed;
  }
}
