import type { AppContext } from '../context.js';

/**
 * Records that a language's feeds changed now. An unpublish removes an item, so the newest
 * item date alone could move backwards and make `If-Modified-Since` answer a wrong 304;
 * this time never moves backwards.
 */
export async function touchFeeds(ctx: AppContext, lang: string, at = Date.now()): Promise<void> {
  // GREATEST-wins write in one round trip, so two processes racing cannot move it back.
  await ctx.redis.eval(
    "local cur = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1]) end return 1",
    1,
    ctx.keys.feedsChanged(lang),
    String(at),
  );
}

/** When a language's feeds last changed through a release event (0 when never recorded). */
export async function lastFeedChange(ctx: AppContext, lang: string): Promise<number> {
  return Number((await ctx.redis.get(ctx.keys.feedsChanged(lang))) ?? 0);
}
