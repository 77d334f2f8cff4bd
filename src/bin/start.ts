import { assertNoKnownPasswordsInProduction, DEMO_USERS } from '../demo/demo-accounts.js';
import { seedDemo } from '../demo/seed-demo.js';
import { startWorkers } from '../jobs/registry.js';
import {
  rebuildWorkflowState,
  scheduleLeaseSweep,
  scheduleReconciliation,
} from '../workflow/rebuild-state.js';
import { bootRuntime } from '../runtime.js';
import { closeServer, createWebContext, listen } from '../server.js';
import { runService } from './lifecycle.js';
import { startMetricsServer } from '../routes/metrics.routes.js';
import { scheduleOverdueCheck } from '../webhooks/schedule-overdue-check.js';

/** `npm start`: the whole newsroom in one process (web server and job worker) on the embedded default. */
await runService('newsroom', async (config, log) => {
  const runtime = await bootRuntime(config, log);
  const { ctx } = runtime;
  const seeded = config.SEED_DEMO ? await seedDemo(ctx) : undefined;
  if (seeded) log.info('seeded demo content');
  await assertNoKnownPasswordsInProduction(ctx).catch(async (err: unknown) => {
    await runtime.close();
    throw err;
  });
  const web = await createWebContext(runtime);
  await rebuildWorkflowState(ctx); // ready queues, leases, QA/publish jobs, TM index: from MongoDB
  await scheduleLeaseSweep(ctx);
  await scheduleReconciliation(ctx);
  await scheduleOverdueCheck(ctx);
  const workers = startWorkers(ctx);
  const server = await listen(web);
  const metrics = await startMetricsServer(ctx);
  const loopback = ['0.0.0.0', '127.0.0.1', '::', '::1'].includes(config.HOST);
  const base = `http://${loopback ? 'localhost' : config.HOST}:${config.PORT}`;
  console.log(`\nNewsroom is running at ${base}/`);
  for (const line of runtime.services.describe) console.log(`  store: ${line}`);
  console.log(`  languages: ${config.languages.map((l) => `${base}/${l}/`).join('  ')}`);
  console.log(`  health: ${base}/healthz  readiness: ${base}/readyz`);
  // Known demo passwords are printed at every start; production's random ones only once.
  const demoUsers = config.isProduction ? (seeded ?? []) : config.SEED_DEMO ? DEMO_USERS : [];
  if (demoUsers.length > 0) {
    console.log('  demo desk users (sign in at /desk/login):');
    for (const u of demoUsers)
      console.log(`    ${u.roles.join(',').padEnd(14)} ${u.email}  password: ${u.password}`);
  }
  console.log('Press Ctrl+C to stop.\n');
  return async () => {
    await closeServer(server);
    if (metrics) await closeServer(metrics, 1_000);
    await Promise.all(workers.map((w) => w.close()));
    await runtime.close();
  };
});
