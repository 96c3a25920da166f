/**
 * Structured log lines for runs that are not watched on a terminal (CI, schedulers, Lambda):
 * one JSON object per line (`--log-format json`) or `time level message key=value` text, filtered
 * by `--log-level`. Messages carry counts, ARNs and keys, never payload contents.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface RunLoggerOptions {
  level: LogLevel;
  format: LogFormat;
  stream: NodeJS.WritableStream;
  now?: () => Date;
}

export class RunLogger {
  private readonly options: Required<RunLoggerOptions>;

  constructor(options: RunLoggerOptions) {
    this.options = { now: () => new Date(), ...options };
  }

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.log('debug', message, fields);
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.log('info', message, fields);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.log('warn', message, fields);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.log('error', message, fields);
  }

  private log(level: LogLevel, message: string, fields: Record<string, unknown>): void {
    if (RANK[level] < RANK[this.options.level]) return;
    const time = this.options.now().toISOString();
    if (this.options.format === 'json') {
      this.options.stream.write(`${JSON.stringify({ time, level, message, ...fields })}\n`);
      return;
    }
    const pairs = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
      .join(' ');
    this.options.stream.write(
      `${time} ${level.toUpperCase().padEnd(5)} ${message}${pairs ? ` ${pairs}` : ''}\n`,
    );
  }
}
