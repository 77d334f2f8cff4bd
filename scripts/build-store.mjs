// Builds the embedded document store (our FerretDB launcher in store/) into
// .bin/newsroom-store, only when its sources changed since the last build.
// Runs as npm's postinstall; a machine without Go gets a warning, not a failure,
// because MONGODB_URI or a mongod on PATH serve just as well.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = ['store/main.go', 'store/go.mod', 'store/go.sum'];
const binary = join(root, '.bin', 'newsroom-store');
const stamp = `${binary}.sha256`;

const hash = createHash('sha256');
for (const file of sources) hash.update(readFileSync(join(root, file)));
const digest = hash.digest('hex');

if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
  process.exit(0);
}

const go = spawnSync('go', ['version'], { encoding: 'utf8' });
if (go.status !== 0) {
  console.warn(
    'newsroom: Go is not installed, so the embedded store was not built. ' +
      'Install Go (apt-get install golang) and run `npm run postinstall`, or set MONGODB_URI.',
  );
  process.exit(0);
}

console.log('newsroom: building the embedded store (FerretDB v1.24.2, SQLite backend)…');
mkdirSync(dirname(binary), { recursive: true });
const build = spawnSync('go', ['build', '-trimpath', '-o', binary, '.'], {
  cwd: join(root, 'store'),
  stdio: 'inherit',
  env: { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto', GOFLAGS: '-mod=mod' },
});
if (build.status !== 0) {
  console.error('newsroom: building the embedded store failed; see the Go output above.');
  process.exit(1);
}
writeFileSync(stamp, digest);
console.log(`newsroom: embedded store built at ${binary}`);
