import { assertNoKnownPasswordsInProduction } from '../demo/demo-accounts.js';
import { bootRuntime } from '../runtime.js';
import { closeServer, createWebContext, listen } from '../server.js';
import { runService } from './lifecycle.js';
import { startMetricsServer } from '../routes/metrics.routes.js';

/** `npm run web`: the web server alone (production: run workers with `npm run worker`). */
await runService('newsroom-web', async (config, log) => {
  const runtime = await bootRuntime(config, log);
  await assertNoKnownPasswordsInProduction(runtime.ctx).catch(async (err: unknown) => {
    await runtime.close();
    throw err;
  });
  const server = await listen(await createWebContext(runtime));
  const metrics = await startMetricsServer(runtime.ctx);
  log.info(`listening on http://${config.HOST}:${config.PORT}/`);
  return async () => {
    await closeServer(server);
    if (metrics) await closeServer(metrics, 1_000);
    await runtime.close();
  };
});
