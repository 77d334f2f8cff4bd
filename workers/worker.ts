import { runService } from '../src/bin/lifecycle.js';
import { startWorkers } from '../src/jobs/registry.js';
import { startMetricsServer } from '../src/routes/metrics.routes.js';
import { bootRuntime } from '../src/runtime.js';
import { scheduleOverdueCheck } from '../src/webhooks/schedule-overdue-check.js';
import {
  rebuildWorkflowState,
  scheduleLeaseSweep,
  scheduleReconciliation,
} from '../src/workflow/rebuild-state.js';

/** `npm run worker`: BullMQ workers for every registered job; scale out by running more. */
await runService('newsroom-worker', async (config, log) => {
  const runtime = await bootRuntime(config, log, { localPageCache: false });
  // Redis may have restarted empty, or a process died mid-step: put every task back where its
  // state says (ready queues, leases, QA and publish jobs), then again every few minutes.
  const state = await rebuildWorkflowState(runtime.ctx);
  log.info(state, 'workflow state reconciled from MongoDB');
  await scheduleLeaseSweep(runtime.ctx);
  await scheduleReconciliation(runtime.ctx);
  await scheduleOverdueCheck(runtime.ctx);
  const workers = startWorkers(runtime.ctx);
  const metrics = await startMetricsServer(runtime.ctx); // METRICS_PORT: this worker's job metrics
  log.info(`worker started: queues ${workers.map((w) => w.name).join(', ') || '(none)'}`);
  return async () => {
    // close() waits for active jobs to finish before resolving.
    await Promise.all(workers.map((w) => w.close()));
    metrics?.closeAllConnections();
    if (metrics) await new Promise((resolve) => metrics.close(resolve));
    await runtime.close();
  };
});
