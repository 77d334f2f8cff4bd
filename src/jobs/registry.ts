import { Queue, Worker, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppContext } from '../context.js';
import { dedicatedConnection } from '../db/redis.js';
import type { JobDefinition } from './define-job.js';
import { currentRequestId, withRequestId } from '../lib/request-context.js';
import { recordJob } from '../metrics/process-metrics.js';
import { publishTranslationJob } from './publish.job.js';
import { reconcileWorkflowJob } from './reconcile.job.js';
import { taskQaJob } from './review.job.js';
import { publishScheduledJob, releaseHeldStoryJob } from './schedule.job.js';
import { sweepLeasesJob } from './sweep-leases.job.js';
import { translationFanOutJob } from './translation.job.js';
import { WEBSUB_JOBS } from '../websub/jobs.js';
import { renderPagesJob } from '../cache/render-pages.job.js';
import { WEBHOOK_JOBS } from '../webhooks/jobs.js';
import { deriveMediaJob } from '../media/derive.job.js';

/** Every job the newsroom runs. Features add theirs here. */
export const JOBS: JobDefinition[] = [
  ...WEBSUB_JOBS,
  translationFanOutJob,
  taskQaJob,
  publishTranslationJob,
  publishScheduledJob,
  releaseHeldStoryJob,
  sweepLeasesJob,
  reconcileWorkflowJob,
  renderPagesJob,
  ...WEBHOOK_JOBS,
  deriveMediaJob,
];

const DEFAULT_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false, // kept for an admin to see and retry
} as const;

/** Refuses to start with two definitions of one name: which one would run? */
export function checkRegistry(jobs: JobDefinition[] = JOBS): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.name)) throw new Error(`newsroom: job '${job.name}' is defined twice`);
    seen.add(job.name);
  }
}

const connectionOf = (ctx: AppContext): ConnectionOptions => ctx.redis.duplicate(dedicatedConnection);

/** Queues by name, created on first use; the producer side of the registry. */
export class JobQueues {
  private readonly queues = new Map<string, Queue>();
  /** BullMQ does not close a connection it was given: we do, so a CLI run can exit. */
  private readonly connections: Redis[] = [];
  constructor(private readonly ctx: AppContext) {}

  queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      const connection = this.ctx.redis.duplicate(dedicatedConnection);
      this.connections.push(connection);
      q = new Queue(name, { connection, prefix: this.ctx.keys.bullmq });
      this.queues.set(name, q);
    }
    return q;
  }

  /** Validates the payload and enqueues; a deterministic jobId makes a repeat a no-op. */
  async enqueue<P>(
    job: JobDefinition,
    payload: P,
    extra: { delay?: number; jobId?: string; attempts?: number; backoff?: JobsOptions['backoff'] } = {},
  ): Promise<void> {
    const data = job.payload.parse(payload);
    // The request that caused it rides along (payload schemas strip it before handlers).
    const requestId = currentRequestId();
    await this.queue(job.queue).add(job.name, requestId ? { ...(data as object), requestId } : data, {
      ...DEFAULT_OPTIONS,
      ...job.options,
      ...(extra.delay !== undefined ? { delay: extra.delay } : {}),
      ...(extra.attempts !== undefined ? { attempts: extra.attempts } : {}),
      ...(extra.backoff !== undefined ? { backoff: extra.backoff } : {}),
      jobId: extra.jobId ?? job.jobId?.(data),
    });
  }

  /**
   * Makes sure a job with a deterministic id is due: added when missing, retried when it
   * failed for good, added again when it completed (handlers are idempotent). A waiting,
   * delayed or active one is left alone. What reconciliation uses.
   */
  async ensure<P>(job: JobDefinition, payload: P): Promise<'added' | 'retried' | 'pending'> {
    const data = job.payload.parse(payload);
    const id = job.jobId?.(data);
    const existing = id ? await this.queue(job.queue).getJob(id) : undefined;
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed') {
        await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return 'retried';
      }
      if (state !== 'completed' && state !== 'unknown') return 'pending';
      await existing.remove();
    }
    await this.enqueue(job, data);
    return 'added';
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
    for (const c of this.connections) c.disconnect();
  }
}

/**
 * Starts one BullMQ worker per queue. Each worker dispatches on the job name through the
 * registry's table (not a switch), validating the payload first.
 */
export function startWorkers(ctx: AppContext, jobs: JobDefinition[] = JOBS, concurrency = 4): Worker[] {
  checkRegistry(jobs);
  const byQueue = new Map<string, Map<string, JobDefinition>>();
  for (const job of jobs) {
    if (!byQueue.has(job.queue)) byQueue.set(job.queue, new Map());
    byQueue.get(job.queue)!.set(job.name, job);
  }
  return [...byQueue].map(([queue, defs]) => {
    const worker = new Worker(
      queue,
      async (job) => {
        const def = defs.get(job.name);
        if (!def) throw new Error(`no handler for job '${job.name}' on queue '${queue}'`);
        const requestId = typeof job.data?.requestId === 'string' ? job.data.requestId : undefined;
        return withRequestId(requestId, async () => {
          const started = process.hrtime.bigint();
          const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
          try {
            const result = await def.handler(def.payload.parse(job.data), ctx, {
              id: job.id,
              attemptsMade: job.attemptsMade,
            });
            recordJob(queue, job.name, 'completed', seconds());
            ctx.log.info(
              { job: job.id, jobName: job.name, queue, ms: Math.round(seconds() * 1000) },
              'job done',
            );
            return result;
          } catch (err) {
            recordJob(queue, job.name, 'failed', seconds());
            throw err;
          }
        });
      },
      {
        connection: connectionOf(ctx),
        prefix: ctx.keys.bullmq,
        concurrency,
        lockDuration: ctx.config.JOB_LOCK_MS,
        stalledInterval: ctx.config.JOB_STALLED_INTERVAL_MS,
      },
    );
    worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        ctx.log.error(
          { err, job: job.id, name: job.name },
          'job failed for good; retry it from /desk/queues',
        );
      }
    });
    worker.on('error', (err) => ctx.log.debug({ err }, `worker ${queue} error`));
    return worker;
  });
}
