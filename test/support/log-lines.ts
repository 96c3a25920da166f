/**
 * The structured log lines a CLI run wrote to stderr (JSON, one per line, when stderr is not a
 * terminal). Throws if any stderr line is not such a log line: nothing unstructured may leak.
 */
export interface LogLine {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  [field: string]: unknown;
}

export function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parsed = JSON.parse(line) as LogLine;
      if (typeof parsed.level !== 'string' || typeof parsed.message !== 'string') {
        throw new Error(`not a log line: ${line}`);
      }
      return parsed;
    });
}

/** Log lines at warn or error level. */
export function problemLines(stderr: string): LogLine[] {
  return logLines(stderr).filter((l) => l.level === 'warn' || l.level === 'error');
}
