import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * A Redis connection. `maxRetriesPerRequest: null` is what BullMQ requires of the connections
 * it is given; ordinary commands keep retrying while Redis restarts instead of failing at once.
 */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...opts });
}

/**
 * The process's command connection: commands issued in the same turn of the event loop (fifty
 * readers' page loads, a Promise.all of reads) go out in one socket write instead of one
 * each. A profile of random article reads spent 11 % of the web process in those writes.
 * Only for this connection: BullMQ's and the subscriber's are duplicated without it.
 */
export const createCommandRedis = (url: string): Redis => createRedis(url, { enableAutoPipelining: true });

/** Options for a connection duplicated from the command connection (BullMQ, subscribers). */
export const dedicatedConnection: RedisOptions = { maxRetriesPerRequest: null, enableAutoPipelining: false };

/** Warns when a configured Redis may evict keys: BullMQ loses jobs under any policy but noeviction. */
export async function checkEvictionPolicy(redis: Redis, log: Logger): Promise<void> {
  try {
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      log.warn(`Redis maxmemory-policy is '${policy}'; BullMQ needs 'noeviction' or queued jobs can vanish`);
    }
  } catch {
    log.warn('could not read Redis maxmemory-policy (CONFIG disabled?); make sure it is noeviction');
  }
}
