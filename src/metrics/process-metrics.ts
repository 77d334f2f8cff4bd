import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * What this process measures as it goes (requests, page-cache lookups, jobs it ran), in
 * Prometheus form. Each process has its own; Prometheus adds them up across instances.
 * The newsroom's shared state (queues, outbox, translation backlog) is read at scrape time
 * instead: see `metrics-text.ts`.
 */
export const processMetrics = new Registry();
collectDefaultMetrics({ register: processMetrics, prefix: 'newsroom_' });

const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const httpRequests = new Counter({
  name: 'newsroom_http_requests_total',
  help: 'HTTP requests by route template (not URL; page_cache: answered from the page cache before routing), method and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [processMetrics],
});

const httpDuration = new Histogram({
  name: 'newsroom_http_request_duration_seconds',
  help: 'Time from request to the end of the response, by route template and method',
  labelNames: ['method', 'route'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [processMetrics],
});

const pageCacheLookups = new Counter({
  name: 'newsroom_page_cache_lookups_total',
  help: 'Cacheable pages and feeds: served from the page cache (hit) or rendered (miss)',
  labelNames: ['result'] as const,
  registers: [processMetrics],
});

const jobDuration = new Histogram({
  name: 'newsroom_job_duration_seconds',
  help: 'Time a job ran in this process, by queue, job name and outcome',
  labelNames: ['queue', 'name', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [processMetrics],
});

export function recordRequest(method: string, route: string, status: number, seconds: number): void {
  httpRequests.inc({ method, route, status: String(status) });
  httpDuration.observe({ method, route }, seconds);
}

export function recordPageCache(result: 'hit' | 'miss'): void {
  pageCacheLookups.inc({ result });
}

export function recordJob(
  queue: string,
  name: string,
  outcome: 'completed' | 'failed',
  seconds: number,
): void {
  jobDuration.observe({ queue, name, outcome }, seconds);
}
