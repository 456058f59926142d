import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr (stdout stays free for the start banner). */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
