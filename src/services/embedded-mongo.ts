import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { STORE_BINARY } from '../paths.js';
import { freePort, spawnService, stopProcess, tail, waitFor } from './child-process.js';
import type { RunningService } from './backing-services.js';

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/**
 * Starts a MongoDB-compatible server for the dev default: `mongod` when on PATH,
 * else our FerretDB launcher (SQLite files under dataDir/ferretdb; `sync` is its SQLite
 * synchronous mode, see EMBEDDED_STORE_SYNC). `port` restarts a server where its clients
 * expect it (a restart after a crash); default: a free port.
 */
export async function startEmbeddedMongo(
  dataDir: string,
  { sync = 'normal', port: wanted }: { sync?: 'normal' | 'full'; port?: number } = {},
): Promise<RunningService> {
  const port = wanted ?? (await freePort());
  const uri = `mongodb://127.0.0.1:${port}/newsroom`;
  let kind: string;
  let child;
  if (onPath('mongod')) {
    const dbPath = join(dataDir, 'mongo');
    mkdirSync(dbPath, { recursive: true });
    kind = 'mongod';
    child = spawnService('mongod', [
      '--bind_ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--dbpath',
      dbPath,
      '--quiet',
    ]);
  } else if (existsSync(STORE_BINARY)) {
    kind = 'FerretDB (SQLite)';
    child = spawnService(
      STORE_BINARY,
      [
        '-listen',
        `127.0.0.1:${port}`,
        '-data',
        join(dataDir, 'ferretdb'),
        '-sync',
        sync,
        '-exit-on-stdin-eof',
      ],
      { stdinPipe: true },
    );
  } else {
    throw new Error(
      'newsroom: no MongoDB-compatible store. Set MONGODB_URI, put mongod on PATH, ' +
        'or install Go and run `npm run postinstall` to build the embedded store (.bin/newsroom-store).',
    );
  }
  const output = tail(child);
  let exited = false;
  child.once('exit', () => (exited = true));
  await waitFor(`${kind} on port ${port}`, async () => {
    if (exited) throw new Error(`newsroom: ${kind} exited during start:\n${output()}`);
    const client = new mongoose.mongo.MongoClient(uri, {
      serverSelectionTimeoutMS: 500,
      directConnection: true,
    });
    try {
      await client.db('admin').command({ ping: 1 });
      return true;
    } finally {
      await client.close();
    }
  }).catch((err) => {
    child.kill('SIGKILL');
    throw exited ? new Error(`newsroom: ${kind} exited during start:\n${output()}`) : err;
  });
  return { kind, url: uri, pid: child.pid!, stop: () => stopProcess(child) };
}
