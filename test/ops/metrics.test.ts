import type { Worker } from 'bullmq';
import express from 'express';
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/services/child-process.js';
import { startWorkers } from '../../src/jobs/registry.js';
import { createLogger } from '../../src/logger.js';
import { errorHandler } from '../../src/middleware/errors.js';
import { OutboxEvent } from '../../src/models/outbox-event.js';
import { metricsRouter, startMetricsServer } from '../../src/routes/metrics.routes.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser, eventually } from '../workflow/support.js';

const TOKEN = 'metrics-token-0123456789';
let rt: TestRuntime;
let workers: Worker[] = [];
const logLines: Record<string, unknown>[] = [];
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en', METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await rt?.close();
});

const scrape = async () => {
  const res = await request(rt.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  return res.text;
};
/** The value of the sample `name{…labels…}`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.split(' ').pop());
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('answers only a scraper holding METRICS_TOKEN, and is absent without one', async () => {
    expect((await request(rt.app).get('/metrics')).status).toBe(401);
    const wrong = await request(rt.app)
      .get('/metrics')
      .set('Authorization', 'Bearer metrics-token-wrong-000000');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    const ok = await request(rt.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);

    const noToken = express().use(
      metricsRouter({ ...rt.ctx, config: { ...rt.ctx.config, METRICS_TOKEN: undefined } }),
    );
    noToken.use(errorHandler(rt.web));
    expect((await request(noToken).get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it('counts requests by route template and status, with latency, and page-cache hits and misses', async () => {
    const editor = await buildUser(['editor'], [], ['ru', 'en']);
    const before = await scrape();
    const hitsBefore = sample(before, 'newsroom_page_cache_lookups_total', { result: 'hit' }) ?? 0;
    for (const id of ['a', 'b']) await request(rt.app).get(`/api/v1/stories/nope-${id}`).set(editor.auth);
    await request(rt.app).get('/ru/');
    await request(rt.app).get('/ru/');
    const text = await scrape();
    expect(
      sample(text, 'newsroom_http_requests_total', {
        method: 'GET',
        route: '/api/v1/stories/:id',
        status: '404',
      }),
    ).toBe(2);
    expect(
      sample(text, 'newsroom_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/stories/:id',
      }),
    ).toBe(2);
    expect(text).not.toContain('nope-a'); // URLs never become labels
    expect(sample(text, 'newsroom_page_cache_lookups_total', { result: 'hit' })).toBeGreaterThan(hitsBefore);
    expect(sample(text, 'newsroom_page_cache_lookups_total', { result: 'miss' })).toBeGreaterThanOrEqual(1);
  });

  it('carries a request id from the request through its outbox event into the job, its logs and the metrics', async () => {
    const editor = await buildUser(['editor'], [], ['ru', 'en']);
    const created = await request(rt.app)
      .post('/api/v1/stories')
      .set(editor.auth)
      .set('X-Request-Id', 'req-from-client-42')
      .send({ title: 'Саммит', body: '<p>Саммит пройдёт 27 июня.</p>', publish: true });
    expect(created.status).toBe(201);
    expect(created.headers['x-request-id']).toBe('req-from-client-42');
    // A made-up id when the client sends none, or an unsafe one.
    const other = await request(rt.app).get('/healthz').set('X-Request-Id', 'bad id\twith "stuff"');
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // A cached page answers each request with that request's id, never the one it was rendered for.
    const rendered = await request(rt.app).get('/en/rss.xml').set('X-Request-Id', 'req-rendered-1');
    const hit = await request(rt.app).get('/en/rss.xml').set('X-Request-Id', 'req-hit-2');
    expect(rendered.headers['x-request-id']).toBe('req-rendered-1');
    expect(hit.headers['x-request-id']).toBe('req-hit-2');
    const stored = await rt.ctx.pageCache.load('/en/rss.xml');
    expect(stored?.headers['x-request-id']).toBeUndefined();

    // The fan-out job the publish caused waits in its queue with the request id.
    const storyId = String(created.body.story.id);
    const job = await eventually(async () => {
      const jobs = await jobQueues(rt.ctx)
        .queue('translation')
        .getJobs(['waiting', 'prioritized', 'delayed']);
      return jobs.find((j) => JSON.stringify(j.data).includes(storyId));
    });
    expect(job.data.requestId).toBe('req-from-client-42');
    const waiting = await scrape();
    expect(
      sample(waiting, 'newsroom_queue_jobs', { queue: 'translation', state: 'waiting' }),
    ).toBeGreaterThanOrEqual(1);

    // A worker runs it: its log lines carry the id, its duration is measured, the task is backlog.
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    workers = startWorkers({ ...rt.ctx, log: createLogger('info', 'test-worker', sink) });
    await eventually(async () =>
      logLines.some(
        (l) => l.msg === 'job done' && l.name === 'test-worker' && l.reqId === 'req-from-client-42',
      ),
    );
    const after = await eventually(async () => {
      const text = await scrape();
      const open = sample(text, 'newsroom_translation_backlog', { pair: 'ru:en', state: 'open' }) ?? 0;
      // Other jobs of the same request (page renders) may log 'job done' before the fan-out ends.
      const ran = sample(text, 'newsroom_job_duration_seconds_count', {
        queue: 'translation',
        outcome: 'completed',
      });
      return open >= 1 && ran !== undefined ? text : undefined;
    });
    expect(
      sample(after, 'newsroom_job_duration_seconds_count', { queue: 'translation', outcome: 'completed' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(after, 'newsroom_translation_oldest_task_age_seconds', { pair: 'ru:en' }),
    ).toBeGreaterThanOrEqual(0);
  });

  it('reports the outbox backlog, and serves a separate METRICS_PORT', async () => {
    await rt.relay.stop(); // nothing relays now: recorded events stay
    await OutboxEvent.create({ _id: `test.metrics:${Date.now()}`, type: 'test.metrics', payload: {} });
    await OutboxEvent.create({ _id: `test.metrics:${Date.now() + 1}`, type: 'test.metrics', payload: {} });
    const port = await freePort();
    const server = await startMetricsServer({
      ...rt.ctx,
      config: { ...rt.ctx.config, METRICS_PORT: port, METRICS_TOKEN: undefined },
    });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(sample(text, 'newsroom_outbox_backlog')).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'newsroom_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server!.closeAllConnections();
      await new Promise((r) => server!.close(r));
    }
  });
});
