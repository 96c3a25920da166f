/**
 * Error text that is safe to print. Payloads are `@sensitive` in the SDK (it redacts them in its
 * own logs), but a few error messages can carry response text: V8's JSON.parse quotes the part of
 * the body around a syntax error, and the SDK appends a multi-line hint to deserialization errors.
 * These helpers keep the exception class and the facts (position, sizes) and drop the content.
 */

/**
 * `Name: message` for an error from outside our code (SDK exceptions, system errors), on one line,
 * never quoting a response body.
 */
export function describeForeignError(error: Error): string {
  const deserialization = /\n\s*Deserialization error:/.exec(error.message);
  let message = deserialization ? error.message.slice(0, deserialization.index) : error.message;
  if (error.name === 'SyntaxError') {
    const position = /at position (\d+)/.exec(message)?.[1];
    message = `the response body is not valid JSON${position === undefined ? '' : ` (at byte ${position})`}`;
  }
  const text = `${error.name}: ${oneLine(message)}`;
  const wrongType = deserialization && error.name !== 'SyntaxError';
  return wrongType ? `${text} (the response could not be read: a value of the wrong type?)` : text;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` on one line: line breaks become `; `. */
export function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join('; ');
}

/**
 * `text` with control characters (C0, DEL, C1) shown as `\u001b`-style escapes, so text that came
 * from a service (an ARN, a name, a message) cannot move the cursor, recolour or clear a terminal.
 */
export function printable(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
