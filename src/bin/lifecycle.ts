import { ConfigError, loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';

/**
 * Runs a long-lived process: loads config (a bad variable ends it with a clear line and
 * exit 1), runs `start`, and on SIGINT/SIGTERM awaits the returned `stop` and exits 0.
 * A second signal while stopping exits at once.
 */
export async function runService(
  name: string,
  start: (config: Config, log: Logger) => Promise<() => Promise<void>>,
): Promise<void> {
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
