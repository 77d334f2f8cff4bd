import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { PageCache } from './cache/page-cache.js';
import type { RedisKeys } from './redis/keys.js';

/**
 * What a request handler, command or job needs from the process: configuration, logger,
 * Redis and the page cache. Passed explicitly; MongoDB is reached through the Mongoose models.
 */
export interface AppContext {
  config: Config;
  log: Logger;
  redis: Redis;
  pageCache: PageCache;
  /** Every Redis key we use (`src/redis/keys.ts`): build keys only from here. */
  keys: RedisKeys;
}
