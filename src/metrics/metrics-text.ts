import { Gauge, Registry } from 'prom-client';
import type { AppContext } from '../context.js';
import { JOBS } from '../jobs/registry.js';
import { OutboxEvent } from '../models/outbox-event.js';
import { workflowStats } from '../workflow/stats.js';
import { jobQueues } from '../workflow/queues.js';
import { processMetrics } from './process-metrics.js';

const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'waiting-children'] as const;

/** Gauges of shared state, read from Redis and MongoDB for this scrape only. */
async function stateMetrics(ctx: AppContext): Promise<Registry> {
  const registry = new Registry();
  const queueJobs = new Gauge({
    name: 'newsroom_queue_jobs',
    help: 'Jobs in each BullMQ queue by state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  });
  const outbox = new Gauge({
    name: 'newsroom_outbox_backlog',
    help: 'Outbox events not yet relayed (recorded, waiting for their handlers)',
    registers: [registry],
  });
  const outboxRetrying = new Gauge({
    name: 'newsroom_outbox_retrying',
    help: 'Outbox events whose handlers failed at least once',
    registers: [registry],
  });
  const outboxOldest = new Gauge({
    name: 'newsroom_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox event not yet relayed (0 when none)',
    registers: [registry],
  });
  const backlog = new Gauge({
    name: 'newsroom_translation_backlog',
    help: 'Open translation tasks per language pair and state',
    labelNames: ['pair', 'state'] as const,
    registers: [registry],
  });
  const oldestTask = new Gauge({
    name: 'newsroom_translation_oldest_task_age_seconds',
    help: 'Age of the oldest task not yet approved, per language pair',
    labelNames: ['pair'] as const,
    registers: [registry],
  });

  const queues = [...new Set(JOBS.map((j) => j.queue))].sort();
  const producers = jobQueues(ctx);
  const now = Date.now();
  const [counts, pending, retrying, oldest, pairs] = await Promise.all([
    Promise.all(queues.map((q) => producers.queue(q).getJobCounts(...JOB_STATES))),
    OutboxEvent.countDocuments({}),
    OutboxEvent.countDocuments({ attempts: { $gt: 0 } }),
    OutboxEvent.find({}, { createdAt: 1 }).sort({ createdAt: 1 }).limit(1).lean(),
    workflowStats(ctx),
  ]);
  queues.forEach((queue, i) => {
    for (const state of JOB_STATES) queueJobs.set({ queue, state }, counts[i][state] ?? 0);
  });
  outbox.set(pending);
  outboxRetrying.set(retrying);
  outboxOldest.set(oldest[0]?.createdAt ? (now - new Date(oldest[0].createdAt).getTime()) / 1000 : 0);
  for (const p of pairs) {
    for (const state of ['open', 'in_progress', 'submitted', 'in_review', 'approved']) {
      backlog.set({ pair: p.pair, state }, p.backlog[state] ?? 0);
    }
    oldestTask.set({ pair: p.pair }, p.oldestTaskAgeSeconds ?? 0);
  }
  return registry;
}

/** The text a scrape of this process gets: its own measurements and the shared state. */
export async function metricsText(ctx: AppContext): Promise<{ contentType: string; body: string }> {
  const merged = Registry.merge([processMetrics, await stateMetrics(ctx)]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}
