import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, spawnService, stopProcess, tail, waitFor } from './child-process.js';
import type { RunningService } from './backing-services.js';

/**
 * Starts Debian's redis-server for the dev default, with AOF on (queued jobs survive a
 * restart) and noeviction (BullMQ must never lose keys to eviction).
 */
export async function startEmbeddedRedis(dataDir: string, fixedPort?: number): Promise<RunningService> {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
    throw new Error(
      'newsroom: redis-server is not installed. Run `apt-get install -y redis-server`, or set REDIS_URL.',
    );
  }
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = fixedPort ?? (await freePort());
  const child = spawnService('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    '--logfile',
    '',
  ]);
  const output = tail(child);
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(`redis-server on port ${port}`, async () => {
    if (exited) throw new Error(`newsroom: redis-server exited during start:\n${output()}`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } finally {
      probe.disconnect();
    }
  });
  return { kind: 'redis-server', url, pid: child.pid!, stop: () => stopProcess(child) };
}
