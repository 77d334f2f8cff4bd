import { pino, type Logger } from 'pino';

/** One structured logger for the process; level from LOG_LEVEL. */
export function createLogger(level: string, name = 'newsroom'): Logger {
  return pino({ name, level });
}

export type { Logger };
