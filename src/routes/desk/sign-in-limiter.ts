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
