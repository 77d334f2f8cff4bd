import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './lib/request-context.js';

/** One structured logger for the process; level from LOG_LEVEL. Lines of a request or of a job it caused carry `reqId`. */
export function createLogger(level: string, name = 'newsroom', destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      mixin: () => {
        const reqId = currentRequestId();
        return reqId ? { reqId } : {};
      },
    },
    destination,
  );
}

export type { Logger };
