import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/services/child-process.js';
import { startEmbeddedRedis } from '../../src/services/embedded-redis.js';
import { childPids, isAlive, spawnNewsroom } from '../support/spawn-newsroom.js';
import { freshMongoUri, startTestRuntime } from '../support/test-runtime.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'newsroom-proc-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the newsroom process', () => {
  it('starts its own store and Redis, is ready, stops on SIGTERM with exit 0 and leaves no child behind', async () => {
    const port = await freePort();
    const proc = spawnNewsroom('src/bin/start.ts', {
      PORT: String(port),
      NEWSROOM_DATA_DIR: tempDir(),
      LOG_LEVEL: 'warn',
    });
    try {
      await proc.waitFor(/Newsroom is running at/);
      const children = childPids(proc.child.pid!);
      expect(children.length).toBeGreaterThanOrEqual(2); // FerretDB (or mongod) and redis-server
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ mongodb: 'ok', redis: 'ok' });
      const home = await fetch(`http://127.0.0.1:${port}/ru/`);
      expect(await home.text()).toContain('<article'); // demo content was seeded

      proc.child.kill('SIGTERM');
      const { code } = await proc.exited;
      expect(code).toBe(0);
      for (const pid of children) expect(isAlive(pid), `child ${pid} still running`).toBe(false);
    } finally {
      proc.child.kill('SIGKILL');
    }
  });

  it('leaves no child behind even when killed with SIGKILL', async () => {
    const proc = spawnNewsroom('src/bin/start.ts', {
      PORT: String(await freePort()),
      NEWSROOM_DATA_DIR: tempDir(),
      SEED_DEMO: '0',
      LOG_LEVEL: 'warn',
    });
    await proc.waitFor(/Newsroom is running at/);
    const children = childPids(proc.child.pid!);
    expect(children.length).toBeGreaterThanOrEqual(2);
    proc.child.kill('SIGKILL');
    await proc.exited;
    const deadline = Date.now() + 10_000;
    while (children.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const pid of children) expect(isAlive(pid), `child ${pid} still running`).toBe(false);
  });

  it('exits with a message naming a bad variable', async () => {
    const proc = spawnNewsroom('src/bin/start.ts', { PORT: 'eighty', NEWSROOM_DATA_DIR: tempDir() });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.output()).toMatch(/PORT/);
  });
});

describe('/readyz', () => {
  it('answers 503 naming Redis while Redis is down, and recovers when it is back', async () => {
    const dir = tempDir();
    const redisPort = await freePort();
    let redis = await startEmbeddedRedis(dir, redisPort);
    const rt = await startTestRuntime({ REDIS_URL: redis.url, MONGODB_URI: freshMongoUri() });
    try {
      await request(rt.app).get('/readyz').expect(200);
      await redis.stop();
      const down = await request(rt.app).get('/readyz').expect(503);
      expect(down.body.failing).toEqual(['redis']);
      redis = await startEmbeddedRedis(dir, redisPort);
      const deadline = Date.now() + 15_000;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        status = (await request(rt.app).get('/readyz')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
    } finally {
      await rt.close();
      await redis.stop();
    }
  });
});
