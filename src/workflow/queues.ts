import type { AppContext } from '../context.js';
import { JobQueues } from '../jobs/registry.js';

/** One set of BullMQ producers per process context, shared by outbox handlers and commands. */
const byContext = new WeakMap<AppContext, JobQueues>();

export function jobQueues(ctx: AppContext): JobQueues {
  let queues = byContext.get(ctx);
  if (!queues) {
    queues = new JobQueues(ctx);
    byContext.set(ctx, queues);
  }
  return queues;
}

/** Closes the producers of a context (runtime shutdown). */
export async function closeJobQueues(ctx: AppContext): Promise<void> {
  await byContext.get(ctx)?.close();
  byContext.delete(ctx);
}
