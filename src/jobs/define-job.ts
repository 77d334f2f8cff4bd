import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';
import type { AppContext } from '../context.js';

/**
 * A job definition: a stable name, the queue it runs on, a payload schema, its options and
 * its handler, side by side. The schema is checked when enqueuing and again when running,
 * so a job name is always tied to its payload type. Handlers must be safe to run twice.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  queue: string;
  payload: S;
  options?: JobsOptions;
  /** Deterministic id: a repeated enqueue of the same work is a no-op. */
  jobId?: (payload: z.infer<S>) => string;
  handler: (
    payload: z.infer<S>,
    ctx: AppContext,
    job: { id?: string; attemptsMade: number },
  ) => Promise<unknown>;
}

export const defineJob = <S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> => def;
