import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { PageCache, pageCacheKeys } from './cache/page-cache.js';
import { connectMongo, disconnectMongo } from './db/mongo.js';
import { checkEvictionPolicy, createCommandRedis } from './db/redis.js';
import { redisKeys } from './redis/keys.js';
import type { Logger } from './logger.js';
import { REACTIONS } from './outbox/handlers.js';
import { OutboxRelay } from './outbox/outbox.js';
import { ensureReleaseIndex } from './read-models/release-index.js';
import { closePageRenderer } from './cache/page-renderer.js';
import { startBackingServices, type BackingServices } from './services/backing-services.js';
import { closeJobQueues } from './workflow/queues.js';
import { ensureSearchIndex } from './search/search-index.js';

export interface Runtime {
  ctx: AppContext;
  services: BackingServices;
  relay: OutboxRelay;
  close(): Promise<void>;
}

/**
 * Everything a newsroom process needs before it serves or works: MongoDB and Redis
 * (configured, shared or started), indexes, the read model, the page cache and the outbox
 * relay. `close` undoes it all in reverse order.
 */
export async function bootRuntime(
  config: Config,
  log: Logger,
  /** `localPageCache: false` for processes that serve no readers (worker, CLI). */
  opts: { relay?: boolean; localPageCache?: boolean } = {},
): Promise<Runtime> {
  const services = await startBackingServices(config, log);
  try {
    await connectMongo(services.mongoUri);
    const redis = createCommandRedis(services.redisUrl);
    redis.on('error', (err) => log.debug({ err }, 'redis connection error'));
    await checkEvictionPolicy(redis, log);
    const keys = redisKeys(config.REDIS_PREFIX);
    const pageCache = new PageCache(
      redis,
      pageCacheKeys(keys),
      opts.localPageCache === false ? 0 : config.PAGE_CACHE_MB * 1024 * 1024,
      config.PAGE_STORE_MB * 1024 * 1024,
      log,
    );
    await pageCache.listen();
    const ctx: AppContext = { config, log, redis, pageCache, keys };

    await ensureReleaseIndex(ctx);
    await ensureSearchIndex(ctx);
    const relay = new OutboxRelay(ctx, REACTIONS);
    if (opts.relay !== false) relay.start();

    return {
      ctx,
      services,
      relay,
      close: async () => {
        await relay.stop();
        await closePageRenderer(ctx);
        await closeJobQueues(ctx);
        await pageCache.close();
        redis.disconnect();
        await disconnectMongo();
        await services.stop();
      },
    };
  } catch (err) {
    await disconnectMongo().catch(() => undefined);
    await services.stop();
    throw err;
  }
}
