import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createApp } from '../../src/app.js';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { bootRuntime, type Runtime } from '../../src/runtime.js';
import { createWebContext } from '../../src/server.js';
import type { WebContext } from '../../src/web-context.js';

export interface TestRuntime extends Runtime {
  web: WebContext;
  app: ReturnType<typeof createApp>;
  /** Environment a child process needs to reach the same database and Redis prefix. */
  env: Record<string, string>;
}

/** Database URI with a fresh database name on the shared test server. */
export function freshMongoUri(): string {
  const uri = new URL(inject('mongoUri'));
  uri.pathname = `/t_${randomBytes(6).toString('hex')}`;
  return uri.toString();
}

/**
 * A full runtime on the shared test servers: its own database and Redis key prefix, the
 * outbox relay running, the Express app built (not listening; use supertest or `listen`).
 */
export async function startTestRuntime(overrides: Record<string, string> = {}): Promise<TestRuntime> {
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: freshMongoUri(),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `{t${randomBytes(4).toString('hex')}}`,
    NEWSROOM_DATA_DIR: mkdtempSync(join(tmpdir(), 'newsroom-data-')),
    SEED_DEMO: '0',
    ...overrides,
  };
  const config = loadConfig(env);
  const runtime = await bootRuntime(config, createLogger('silent'));
  const web = await createWebContext(runtime);
  return { ...runtime, web, app: createApp(web), env };
}

/** Serves the runtime's app on a free loopback port, for browsers and other real clients. */
export async function serveOnLoopback(
  rt: TestRuntime,
): Promise<{ base: string; close: () => Promise<void> }> {
  const server = rt.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A test runtime with a worker for every registered job (2 per queue), as the import and
 * publishing tests need; `stop` closes the workers, then the runtime.
 */
export async function startRuntimeWithWorkers(
  overrides: Record<string, string> = {},
): Promise<{ rt: TestRuntime; stop: () => Promise<void> }> {
  const rt = await startTestRuntime(overrides);
  const workers = startWorkers(rt.ctx, JOBS, 2);
  return {
    rt,
    stop: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await rt.close();
    },
  };
}
