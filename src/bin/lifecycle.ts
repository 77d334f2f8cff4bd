import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';

const HEAP_GROWING_PERCENT = 50;

/**
 * Runs a long-lived process: loads config (a bad variable ends it with a clear line and
 * exit 1), runs `start`, and on SIGINT/SIGTERM awaits the returned `stop` and exits 0.
 * A second signal while stopping exits at once.
 */
export async function runService(
  name: string,
  start: (config: Config, log: Logger) => Promise<() => Promise<void>>,
): Promise<void> {
  // A long-lived process's garbage is mostly promoted (renders and responses live across
  // awaits) and V8 lets the old space grow up to 4x the live heap between collections on a
  // machine with memory to spare: a web process with ~130 MB live sat at 470 MB resident.
  // Growing by half keeps it near 1.5x (docs/benchmarks.md, Memory of the web and worker
  // processes). Read at every GC, so setting it here, after start, takes effect.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const log = createLogger(config.LOG_LEVEL, name);
  let stop: () => Promise<void>;
  try {
    stop = await start(config, log);
  } catch (err) {
    log.fatal({ err }, (err as Error).message);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info(`${signal}: shutting down`);
    try {
      await stop();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
