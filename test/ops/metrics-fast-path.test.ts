import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processMetrics } from '../../src/metrics/process-metrics.js';
import { closeServer, listen } from '../../src/server.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
let server: Server;
let base: string;
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en', PORT: '0' });
  server = await listen(rt.web); // the real server: cache hits are answered before Express
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (server) await closeServer(server, 1_000);
  await rt?.close();
});

/** A sample of the process registry (what /metrics serves), by name and labels. */
async function sample(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await processMetrics.getMetricsAsJSON()).find((m) =>
    [m.name, `${m.name}_count`].includes(name),
  ) as
    { values: { metricName?: string; labels: Record<string, string | number>; value: number }[] } | undefined;
  const matches = (metric?.values ?? []).filter(
    (v) =>
      (v.metricName ?? name) === name &&
      Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
  );
  return matches.reduce((sum, v) => sum + v.value, 0);
}

describe('/metrics and the page-cache fast path of src/server.ts', () => {
  it('counts pages answered before Express in the request rate and latency, as route page_cache', async () => {
    const first = await fetch(`${base}/ru/`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    const before = {
      hits: await sample('newsroom_http_requests_total', { route: 'page_cache', status: '200' }),
      notModified: await sample('newsroom_http_requests_total', { route: 'page_cache', status: '304' }),
      latency: await sample('newsroom_http_request_duration_seconds_count', { route: 'page_cache' }),
      cache: await sample('newsroom_page_cache_lookups_total', { result: 'hit' }),
    };
    for (let n = 0; n < 3; n++) expect((await fetch(`${base}/ru/`)).status).toBe(200);
    expect((await fetch(`${base}/ru/`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await new Promise((r) => setTimeout(r, 100)); // 'finish' of the last response
    expect(await sample('newsroom_http_requests_total', { route: 'page_cache', status: '200' })).toBe(
      before.hits + 3,
    );
    expect(await sample('newsroom_http_requests_total', { route: 'page_cache', status: '304' })).toBe(
      before.notModified + 1,
    );
    expect(await sample('newsroom_http_request_duration_seconds_count', { route: 'page_cache' })).toBe(
      before.latency + 4,
    );
    expect(await sample('newsroom_page_cache_lookups_total', { result: 'hit' })).toBe(before.cache + 4);
  });
});
