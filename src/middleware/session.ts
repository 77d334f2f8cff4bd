import { RedisStore } from 'connect-redis';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type { Redis } from 'ioredis';
import type { AppContext } from '../context.js';
import { scanKeys } from '../redis/keys.js';

/** The session cookie's name; documented in docs/desk.md. */
export const SESSION_COOKIE = 'newsroom.sid';

/** How long an idle desk session lives; every request renews it (rolling expiry). */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;

/**
 * connect-redis 9 speaks the node-redis v5 API (`set(k, v, { expiration })`, `mGet`,
 * `scanIterator`); our connection is ioredis. This adapter maps the handful of calls the
 * store makes, so sessions share the process's one Redis connection and key prefix.
 */
export function nodeRedisAdapter(redis: Redis) {
  return {
    get: (key: string) => redis.get(key),
    set: (key: string, value: string, opts?: { expiration?: { type: 'EX'; value: number } }) =>
      opts?.expiration ? redis.set(key, value, 'EX', opts.expiration.value) : redis.set(key, value),
    expire: (key: string, seconds: number) => redis.expire(key, seconds),
    del: (keys: string[] | string) => redis.del(...(Array.isArray(keys) ? keys : [keys])),
    mGet: (keys: string[]) => redis.mget(keys),
    scanIterator: ({ MATCH, COUNT }: { MATCH: string; COUNT: number }) => scanKeys(redis, MATCH, COUNT),
  };
}

/**
 * Desk sessions: stored in Redis (any web process sees them), referenced by an HttpOnly,
 * SameSite=Lax cookie that is Secure in production; idle sessions expire after
 * SESSION_IDLE_MS, renewed on each request. Only sessions that hold something are saved, so
 * readers never get a cookie. Mounted on /desk and /api only: reader pages never pay for it.
 */
export function sessionMiddleware(ctx: AppContext): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: ctx.config.sessionSecret,
    store: new RedisStore({
      client: nodeRedisAdapter(ctx.redis),
      prefix: ctx.keys.sessionPrefix,
      ttl: SESSION_IDLE_MS / 1000,
    }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    proxy: undefined, // follow the app's 'trust proxy' setting
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.isProduction,
      path: '/',
      maxAge: SESSION_IDLE_MS,
    },
  });
}

/** Issues a fresh session id keeping nothing: called on sign-in against session fixation. */
export function regenerateSession(req: Express.Request & { session: session.Session }): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

/** Destroys the session in Redis: called on sign-out. */
export function destroySession(req: Express.Request & { session: session.Session }): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}
