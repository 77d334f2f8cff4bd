import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../src/services/embedded-mongo.js';
import type { RunningService } from '../../src/services/backing-services.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

// This file's own store, so killing it leaves the shared one to the other test files.
let store: RunningService;
let rt: TestRuntime;
let editor: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  store = await startEmbeddedMongo(mkdtempSync(join(tmpdir(), 'newsroom-store-down-')));
  rt = await startTestRuntime({ MONGODB_URI: store.url.replace(/\/newsroom$/, '/down') });
  editor = await buildUser(['editor']);
});
afterAll(async () => {
  await rt?.close().catch(() => undefined);
  await store?.stop().catch(() => undefined);
});

describe('store down (issue 8 item 14)', () => {
  it('answers 503 with Retry-After and a code naming the store, not 500', async () => {
    const up = await request(rt.app).get('/api/v1/stories').set(editor.auth);
    expect(up.status).toBe(200);
    // What the app logs as unhandled goes into a failure's message: CI once saw a 500 here
    // that 18 local runs did not reproduce, and the error's name is what is needed to fix it.
    const unhandled: string[] = [];
    const log = rt.ctx.log as unknown as { error: (obj: unknown, msg?: string) => void };
    const logError = log.error.bind(log);
    log.error = (obj, msg) => {
      const err = (obj as { err?: Error & { cause?: Error } } | undefined)?.err;
      if (err)
        unhandled.push(`${err.name}: ${err.message} (cause ${err.cause?.name}: ${err.cause?.message})`);
      logError(obj, msg);
    };
    process.kill(store.pid, 'SIGKILL');
    for (const res of [
      await request(rt.app).get('/api/v1/stories').set(editor.auth),
      await request(rt.app).post('/api/v1/stories').set(editor.auth).send({ title: 'T', body: '<p>b</p>' }),
    ]) {
      expect(res.status, unhandled.join('\n')).toBe(503);
      expect(res.body.error.code).toBe('store_unavailable');
      expect(res.body.error.message).toMatch(/MongoDB/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
