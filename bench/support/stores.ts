/**
 * Holds the embedded stores (FerretDB/SQLite and redis-server) for `npm run bench`, so web and
 * worker processes can be restarted ("a fresh server") without losing them. Run pinned to
 * CPU 0 with the servers; prints one JSON line with their URLs and stays until SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedMongo } from '../../src/services/embedded-mongo.js';
import { startEmbeddedRedis } from '../../src/services/embedded-redis.js';

const dir = process.argv[2];
const [mongo, redis] = await Promise.all([startEmbeddedMongo(dir), startEmbeddedRedis(dir)]);
const urls = JSON.stringify({ mongoUri: mongo.url, redisUrl: redis.url });
writeFileSync(join(dir, 'stores.json'), urls);
console.log(urls);
const stop = async () => {
  await Promise.all([mongo.stop(), redis.stop()]);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
