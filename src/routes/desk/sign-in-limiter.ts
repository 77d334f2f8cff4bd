import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { AppContext } from '../../context.js';

/** Failed sign-ins allowed per IP address and e-mail in one window. */
export const SIGN_IN_ATTEMPTS = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Failed sign-ins allowed per IP address across all e-mails (stops cycling through accounts). */
export const SIGN_IN_ATTEMPTS_PER_IP = 50;

const emailOf = (body: unknown) => {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : '';
};

/**
 * Limits password guessing: 10 failed attempts per IP+e-mail and 50 per IP every 15 minutes,
 * counted in Redis so every web process shares the count. Successful sign-ins are not counted.
 * `onLimited` renders the answer (the sign-in page with a message and status 429).
 */
export function signInLimiters(ctx: AppContext, onLimited: RequestHandler): [RequestHandler, RequestHandler] {
  const store = (name: string) =>
    new RedisStore({
      prefix: ctx.keys.rateLimitPrefix(name),
      sendCommand: (command: string, ...args: string[]) =>
        ctx.redis.call(command, ...args) as Promise<RedisReply>,
    });
  const common = {
    windowMs: SIGN_IN_WINDOW_MS,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    handler: onLimited,
  };
  return [
    rateLimit({
      ...common,
      limit: SIGN_IN_ATTEMPTS_PER_IP,
      store: store('signin-ip'),
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    }),
    rateLimit({
      ...common,
      limit: SIGN_IN_ATTEMPTS,
      store: store('signin'),
      keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${emailOf(req.body)}`,
    }),
  ];
}

/** Failed sign-ins to one account (from any address) before each further try must wait. */
export const ACCOUNT_FREE_ATTEMPTS = 5;
/** The first wait after the free attempts; it doubles with each further failure … */
export const ACCOUNT_FIRST_DELAY_MS = 30 * 1000;
/** … up to this. */
export const ACCOUNT_MAX_DELAY_MS = 15 * 60 * 1000;

/**
 * A per-account limit with exponential back-off, whatever address the tries come from (a
 * botnet or spoofed X-Forwarded-For cannot multiply an attacker's guesses): after
 * ACCOUNT_FREE_ATTEMPTS failures in SIGN_IN_WINDOW_MS, each next attempt must wait 30 s,
 * 1 min, 2 min … up to 15 minutes. A successful sign-in clears it. The owner is delayed at
 * worst 15 minutes, never locked out for good.
 */
export function accountBackoff(ctx: AppContext) {
  const failures = ctx.keys.signInFailures;
  const until = ctx.keys.signInWait;
  return {
    /** Milliseconds the next attempt for this account must still wait (0: go ahead). */
    async waitMs(email: string): Promise<number> {
      return Math.max(0, await ctx.redis.pttl(until(email)));
    },
    async failed(email: string): Promise<void> {
      const [[, count]] = (await ctx.redis
        .multi()
        .incr(failures(email))
        .pexpire(failures(email), SIGN_IN_WINDOW_MS + ACCOUNT_MAX_DELAY_MS)
        .exec()) as [[unknown, number], unknown];
      const over = count - ACCOUNT_FREE_ATTEMPTS;
      if (over >= 0) {
        const delay = Math.min(ACCOUNT_FIRST_DELAY_MS * 2 ** Math.min(over, 10), ACCOUNT_MAX_DELAY_MS);
        await ctx.redis.set(until(email), '1', 'PX', delay);
      }
    },
    async succeeded(email: string): Promise<void> {
      await ctx.redis.del(failures(email), until(email));
    },
  };
}
