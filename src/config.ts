import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { LOCALES_DIR, ROOT } from './paths.js';

const LANG_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const boolFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const langList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(LANG_TAG, 'must be BCP 47 tags such as ru, en, hy')).min(1));

/** Every environment variable the newsroom reads, with its default. docs/configuration.md lists the same. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NEWSROOM_DATA_DIR: z.string().default('data'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  /**
   * The embedded store's SQLite synchronous mode: `normal` (acknowledged writes survive a crash
   * of any process; an OS crash can lose the last moments, as MongoDB's default w:1 does) or
   * `full` (an fsync per commit). Ignored with MONGODB_URI or mongod.
   */
  EMBEDDED_STORE_SYNC: z.enum(['normal', 'full']).default('normal'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_PREFIX: z.string().default('{newsroom}'),
  NEWSROOM_LANGUAGES: langList.default(['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg']),
  NEWSROOM_SOURCE_LANGUAGE: z.string().regex(LANG_TAG).default('ru'),
  NEWSROOM_PIVOTS: z.string().default(''),
  NEWSROOM_TIMEZONE: z.string().default('Europe/Moscow'),
  NEWSROOM_NAME: z.string().default('Newsroom'),
  /**
   * Which peers may set X-Forwarded-For/-Proto (Express 'trust proxy'): unset trusts none, so
   * a client cannot pick its own IP for rate limits; e.g. `loopback`, `10.0.0.0/8,fc00::/7`.
   */
  TRUST_PROXY: z
    .string()
    .regex(
      /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?))*$/,
      'must be a comma-separated list of addresses, subnets or loopback/linklocal/uniquelocal',
    )
    .optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Demo stories and desk users; default on, except in production where it must be asked for. */
  SEED_DEMO: boolFlag.optional(),
  /**
   * The in-process LRU only spares hot pages a Redis round trip (every page is in the shared
   * store): 8 MB holds a few hundred, and 64 MB was a third of a web process's memory.
   */
  PAGE_CACHE_MB: z.coerce.number().int().min(0).default(8),
  PAGE_STORE_MB: z.coerce.number().int().min(0).default(512),
  TASK_LEASE_MINUTES: z.coerce.number().int().min(1).default(30),
  JOB_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
  JOB_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  WEBSUB_ALLOW_PRIVATE_CALLBACKS: boolFlag.default(false),
  /** Webhook URLs on loopback and private addresses (tests, a receiver on the same host). Off by default. */
  WEBHOOK_ALLOW_PRIVATE_URLS: boolFlag.default(false),
  /** Tries per webhook delivery, and the first retry's delay (doubling after each failure). */
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(10),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(100).default(30_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  /** Deliveries kept in each endpoint's log (the newest). */
  WEBHOOK_LOG_SIZE: z.coerce.number().int().min(10).max(10_000).default(200),
  /** How often the worker looks for overdue tasks (`task.overdue`). */
  WEBHOOK_OVERDUE_CHECK_MS: z.coerce.number().int().min(1_000).default(60_000),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  FEED_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
  FEED_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Largest picture accepted (the desk's multipart limit, 20 MB, is the ceiling). */
  MEDIA_MAX_MB: z.coerce.number().min(0.1).max(20).default(20),
  /** Most pixels (width × height × frames) a picture may decode to: stops decompression bombs. */
  MEDIA_MAX_MEGAPIXELS: z.coerce.number().min(1).max(268).default(50),
  /**
   * Pictures an import file gives by URL on loopback and private addresses (tests, an archive
   * server on the same network). Off by default: an import file must not make the server probe
   * its own network.
   */
  IMPORT_FETCH_ALLOW_PRIVATE: boolFlag.default(false),
  /** The whole download of one picture an import file gives by URL (connect, redirects, body). */
  IMPORT_FETCH_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(30_000),
  SITEMAP_URLS_PER_FILE: z.coerce.number().int().min(1).max(50_000).default(50_000),
  WEBSUB_DEFAULT_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(10 * 24 * 3600),
  WEBSUB_MAX_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 24 * 3600),
  /** Machine translation (LibreTranslate API): unset, the newsroom has no MT at all. */
  MT_URL: z.url().optional(),
  MT_API_KEY: z.string().min(1).optional(),
  MT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8_000),
  MT_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Pairs MT serves (`ru:en,en:tg`), or `*` for every configured pair. */
  MT_PAIRS: z.string().default('*'),
  /** Fill segments without a 100 % memory match with MT (as pre-translated, never confirmed). */
  MT_PRETRANSLATE: boolFlag.default(true),
  /** Test-only: the fault point (`src/lib/fault-point.ts`) at which the process stops itself. */
  NEWSROOM_FAULT_STOP_AT: z.string().min(1).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'SEED_DEMO'> {
  /** Seed demo content into an empty database (default: on outside production). */
  SEED_DEMO: boolean;
  dataDir: string;
  publicUrl: string;
  languages: string[];
  sourceLanguage: string;
  /** Per target language, the language it is translated from (default: the source language). */
  pivots: Record<string, string>;
  sessionSecret: string;
  isProduction: boolean;
  /** The language pairs machine translation serves (empty: MT off). */
  mtPairs: string[];
}

export class ConfigError extends Error {}

/** Reads and validates the environment; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`newsroom: invalid configuration\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const languages = e.NEWSROOM_LANGUAGES;
  if (!languages.includes(e.NEWSROOM_SOURCE_LANGUAGE)) {
    throw new ConfigError(
      `newsroom: NEWSROOM_SOURCE_LANGUAGE '${e.NEWSROOM_SOURCE_LANGUAGE}' is not in NEWSROOM_LANGUAGES (${languages.join(', ')})`,
    );
  }
  const missingLocales = languages.filter((l) => !existsSync(join(LOCALES_DIR, l)));
  if (missingLocales.length > 0) {
    const have = readdirSync(LOCALES_DIR).join(', ');
    throw new ConfigError(
      `newsroom: NEWSROOM_LANGUAGES names ${missingLocales.join(', ')} but locales/ has no folder for it (have: ${have}); add locales/<lang>/`,
    );
  }
  const pivots = parsePivots(e.NEWSROOM_PIVOTS, languages, e.NEWSROOM_SOURCE_LANGUAGE);
  const mtPairs = e.MT_URL ? parseMtPairs(e.MT_PAIRS, pivots) : [];
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError('newsroom: SESSION_SECRET: required in production (32+ random characters)');
  }
  if (e.NODE_ENV === 'production' && e.NEWSROOM_FAULT_STOP_AT) {
    throw new ConfigError('newsroom: NEWSROOM_FAULT_STOP_AT: a test-only fault hook, refused in production');
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: e.NEWSROOM_TIMEZONE });
  } catch {
    throw new ConfigError(`newsroom: NEWSROOM_TIMEZONE: '${e.NEWSROOM_TIMEZONE}' is not an IANA time zone`);
  }
  return {
    ...e,
    dataDir: resolve(ROOT, e.NEWSROOM_DATA_DIR),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    languages,
    sourceLanguage: e.NEWSROOM_SOURCE_LANGUAGE,
    pivots,
    sessionSecret: e.SESSION_SECRET ?? 'dev-only-secret-change-me-in-production-0123456789',
    isProduction: e.NODE_ENV === 'production',
    SEED_DEMO: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
    mtPairs,
  };
}

/** `*` → every translation pair of the pivots; else a list of those pairs (another is refused). */
function parseMtPairs(raw: string, pivots: Record<string, string>): string[] {
  const all = Object.entries(pivots).map(([to, from]) => `${from}:${to}`);
  if (raw.trim() === '*') return all;
  const pairs = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of pairs) {
    if (!all.includes(p)) {
      throw new ConfigError(`newsroom: MT_PAIRS: '${p}' is not a translation pair; pairs: ${all.join(', ')}`);
    }
  }
  return pairs;
}

/** "tg:en,hy:ru" → { tg: 'en', hy: 'ru' }; unnamed targets translate from the source language. */
function parsePivots(raw: string, languages: string[], source: string): Record<string, string> {
  const pivots: Record<string, string> = {};
  for (const l of languages) if (l !== source) pivots[l] = source;
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [target, from] = pair.split(':');
    if (!languages.includes(target) || !languages.includes(from) || target === source || target === from) {
      throw new ConfigError(
        `newsroom: NEWSROOM_PIVOTS: '${pair}' must be target:from with two different configured languages, target not the source`,
      );
    }
    pivots[target] = from;
  }
  // A chain must end at the source language, or a target could never be translated.
  for (const l of Object.keys(pivots)) {
    const seen = new Set<string>();
    for (let cur = l; cur !== source; cur = pivots[cur]) {
      if (seen.has(cur)) throw new ConfigError(`newsroom: NEWSROOM_PIVOTS: a cycle through '${cur}'`);
      seen.add(cur);
    }
  }
  return pivots;
}
