import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedMongo } from './embedded-mongo.js';
import { startEmbeddedRedis } from './embedded-redis.js';

export interface RunningService {
  kind: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface BackingServices {
  mongoUri: string;
  redisUrl: string;
  /** What was started or reused, for the start banner. */
  describe: string[];
  /** Stops what this process started; leaves configured and shared services alone. */
  stop(): Promise<void>;
}

interface RuntimeFile {
  ownerPid: number;
  mongoUri?: string;
  redisUrl?: string;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Resolves MongoDB and Redis: configured URLs first; else the embedded services another
 * newsroom process already runs on this data dir (so the CLI never starts a second server
 * on the same files); else starts them, and records them in `<dataDir>/runtime.json`.
 */
export async function startBackingServices(config: Config, log: Logger): Promise<BackingServices> {
  const describe: string[] = [];
  if (config.MONGODB_URI && config.REDIS_URL) {
    describe.push(`MongoDB at ${redact(config.MONGODB_URI)}`, `Redis at ${redact(config.REDIS_URL)}`);
    return { mongoUri: config.MONGODB_URI, redisUrl: config.REDIS_URL, describe, stop: async () => {} };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const runtimePath = join(config.dataDir, 'runtime.json');
  const lockPath = join(config.dataDir, '.services.lock');

  const shared = readRuntime(runtimePath);
  if (shared && alive(shared.ownerPid)) {
    describe.push(`embedded services of process ${shared.ownerPid} (shared data dir ${config.dataDir})`);
    return {
      mongoUri: config.MONGODB_URI ?? shared.mongoUri!,
      redisUrl: config.REDIS_URL ?? shared.redisUrl!,
      describe,
      stop: async () => {},
    };
  }

  acquireLock(lockPath, config.dataDir);
  const started: RunningService[] = [];
  try {
    const [mongo, redis] = await Promise.all([
      config.MONGODB_URI
        ? undefined
        : startEmbeddedMongo(config.dataDir, { sync: config.EMBEDDED_STORE_SYNC }),
      config.REDIS_URL ? undefined : startEmbeddedRedis(config.dataDir),
    ]);
    for (const s of [mongo, redis]) if (s) started.push(s);
    const runtime: RuntimeFile = { ownerPid: process.pid, mongoUri: mongo?.url, redisUrl: redis?.url };
    writeFileSync(runtimePath, JSON.stringify(runtime, null, 2));
    for (const s of started) describe.push(`${s.kind} at ${s.url} (pid ${s.pid}, data in ${config.dataDir})`);
    if (config.MONGODB_URI) describe.push(`MongoDB at ${redact(config.MONGODB_URI)}`);
    if (config.REDIS_URL) describe.push(`Redis at ${redact(config.REDIS_URL)}`);
    log.debug({ runtime }, 'backing services started');
    return {
      mongoUri: config.MONGODB_URI ?? mongo!.url,
      redisUrl: config.REDIS_URL ?? redis!.url,
      describe,
      stop: async () => {
        rmSync(runtimePath, { force: true });
        await Promise.all(started.map((s) => s.stop()));
        rmSync(lockPath, { force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    rmSync(lockPath, { force: true });
    throw err;
  }
}

function readRuntime(path: string): RuntimeFile | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RuntimeFile;
  } catch {
    return undefined;
  }
}

/** An exclusive-create lock file holding our pid; a lock whose owner is dead is taken over. */
function acquireLock(lockPath: string, dataDir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lockPath, 'wx'));
      writeFileSync(lockPath, String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lockPath, 'utf8'));
      if (owner && alive(owner) && owner !== process.pid) {
        throw new Error(
          `newsroom: process ${owner} is starting the embedded services in ${dataDir}; try again in a moment`,
          { cause: err },
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`newsroom: cannot lock ${lockPath}`);
}

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
