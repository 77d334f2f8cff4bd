import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildClient } from '../../scripts/build-client.mjs';
import { startEmbeddedMongo } from '../../src/services/embedded-mongo.js';
import { startEmbeddedRedis } from '../../src/services/embedded-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    redisUrl: string;
  }
}

/**
 * One real FerretDB (or mongod, or MONGODB_URI) and one real Redis for the whole run, on free
 * loopback ports with their files in a temporary folder. Each test file uses its own database
 * and Redis key prefix, so files never see each other's data.
 */
export default async function setup(project: TestProject) {
  // The desk pages load the client bundles (src/client/); the tests run the app from source.
  await buildClient({ quiet: true });
  const dir = mkdtempSync(join(tmpdir(), 'newsroom-test-'));
  const mongo = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo(dir);
  const redis = process.env.REDIS_URL ? undefined : await startEmbeddedRedis(dir);
  project.provide('mongoUri', process.env.MONGODB_URI ?? mongo!.url);
  project.provide('redisUrl', process.env.REDIS_URL ?? redis!.url);
  return async () => {
    await Promise.all([mongo?.stop(), redis?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
