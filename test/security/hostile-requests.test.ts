import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTask } from '../../src/commands/claim-task.js';
import type { TaskDoc } from '../../src/models/translation-task.js';
import { deskUser, openTranslationTask, signIn, tokenOf } from '../desk/desk-helpers.js';
import { listRoutes, type AppRoute } from '../support/routes.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

/**
 * Hostile requests against every route of the app, read from Express's router stack (so a
 * route added later is covered without touching this file): missing auth, wrong role, wrong
 * language pair, no CSRF token, malformed ids, NoSQL operators, oversized and
 * control-character input. Whatever the route, the answer is never a 5xx, and every 4xx
 * names a stable error code (`error.code` in JSON, the X-Error-Code header on pages).
 */

type Agent = ReturnType<typeof request.agent>;
/** Hundreds of requests per test on a shared machine: a test timeout, not a timed assertion. */
const SLOW = 600_000;
type User = Awaited<ReturnType<typeof buildUser>>;

let rt: TestRuntime;
let routes: AppRoute[];
let hyTask: TaskDoc;
let admin: User;
let pairless: User; // a translator with no language pair: may change nothing
let otherPair: User; // translator and reviewer of ru:en, never of ru:hy
let adminDesk: { agent: Agent; csrf: string };
let pairlessDesk: { agent: Agent; csrf: string };
let otherPairDesk: { agent: Agent; csrf: string };

async function deskSession(roles: Parameters<typeof deskUser>[0]['roles'], pairs: string[] = []) {
  const { email, password } = await deskUser({ roles, pairs });
  const agent = await signIn(rt.app, email, password);
  return { agent, csrf: await tokenOf(agent) };
}

beforeAll(async () => {
  rt = await startTestRuntime();
  admin = await buildUser(['admin']);
  pairless = await buildUser(['translator']);
  otherPair = await buildUser(['translator', 'reviewer'], ['ru:en']);
  const hyTranslator = await buildUser(['translator'], ['ru:hy']);
  await openTranslationTask(rt.ctx, 'hy');
  hyTask = (await claimTask(rt.ctx, hyTranslator.actor, 'ru:hy'))!;
  adminDesk = await deskSession(['admin']);
  pairlessDesk = await deskSession(['translator']);
  otherPairDesk = await deskSession(['translator', 'reviewer'], ['ru:en']);
  // Bull Board is built on an admin's first request (src/routes/api/queue-board.ts); after it,
  // its routes are in the stack like every other.
  expect((await adminDesk.agent.get('/desk/queues/')).status).toBe(200);
  routes = listRoutes(rt.app).sort(
    (a, b) => Number(a.path === '/desk/logout') - Number(b.path === '/desk/logout'),
  );
}, 300_000);
afterAll(async () => {
  await rt?.close();
});

const SAMPLE: Record<string, string> = {
  lang: 'ru',
  section: 'news',
  slug: 'no-such-release',
  page: '1',
  queueName: 'publish',
  jobId: 'no-such-job',
  queueStatus: 'failed',
  schedulerId: 'no-such-scheduler',
};

/** The route's path with every parameter filled: `value(name)` or a sample that fits it. */
function fill(route: AppRoute, value?: (name: string) => string): string {
  return route.path.replace(/[{}]/g, '').replace(/[:*]([A-Za-z0-9_]+)/g, (_m, name: string) => {
    if (value) return value(name);
    if (name === 'id') return route.path.includes('/stories/') ? hyTask.story : hyTask._id;
    if (name === 'storyId') return hyTask.story;
    return SAMPLE[name] ?? 'x';
  });
}

const hasParams = (r: AppRoute) => /[:*]/.test(r.path);
const changesState = (r: AppRoute) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method);
/** The API reference and its OpenAPI document are public by design (docs/api.md). */
const isApiDocs = (r: AppRoute) => /^\/api\/(docs|v1\/openapi\.json)/.test(r.path);
const isApi = (r: AppRoute) => r.path.startsWith('/api/') && !isApiDocs(r);
const isBoard = (r: AppRoute) => r.path.startsWith('/desk/queues');
const isDesk = (r: AppRoute) => r.path.startsWith('/desk') && !isBoard(r);
/** Desk routes anyone may use signed out: they still need their CSRF token. */
/** Open to anonymous visitors by design: sign-in, and the one-time password link (the secret is the credential). */
const OPEN_DESK = new Set(['/desk/login', '/desk/logout', '/desk/language', '/desk/password/:secret']);
/** Probes, metrics and picture renditions, mounted before the body parsers: they read no query or body. */
const READS_NO_INPUT = new Set(['/healthz', '/readyz', '/metrics', '/media/:id/:file']);

interface Sent {
  status: number;
  code?: string;
  text: string;
}

/** Sends one request through supertest (or an agent with its cookies) and reads the answer. */
async function send(
  client: Agent | undefined,
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string> } = {},
): Promise<Sent> {
  const base = client ?? request(rt.app);
  const m = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let req = base[m](url);
  for (const [k, v] of Object.entries(opts.headers ?? {})) req = req.set(k, v);
  if (opts.form) req = req.type('form').send(opts.form);
  else if (opts.json !== undefined)
    req = req.set('Content-Type', 'application/json').send(JSON.stringify(opts.json));
  const res = await req;
  const body = res.body as { error?: { code?: unknown } } | undefined;
  const code = typeof body?.error?.code === 'string' ? body.error.code : res.headers['x-error-code'];
  return { status: res.status, code, text: res.text ?? '' };
}

/** Never a 5xx; a 4xx with a stable code. Returns a problem description, or undefined. */
function problem(label: string, res: Sent): string | undefined {
  if (res.status >= 500) return `${label}: ${res.status} ${res.text.slice(0, 200)}`;
  if (res.status >= 400 && !/^[a-z][a-z0-9_]*$/.test(res.code ?? ''))
    return `${label}: ${res.status} without a code`;
  return undefined;
}

/** Runs `check` for each route, collecting every problem so one failure shows them all. */
async function everyRoute(
  filter: (r: AppRoute) => boolean,
  check: (r: AppRoute) => Promise<(string | undefined)[] | string | undefined>,
): Promise<string[]> {
  const problems: string[] = [];
  const selected = routes.filter(filter);
  expect(selected.length).toBeGreaterThan(0);
  for (const r of selected) {
    const found = await check(r);
    for (const p of ([] as (string | undefined)[]).concat(found)) if (p) problems.push(p);
  }
  return problems;
}

describe('hostile requests against every route', () => {
  it('enumerates the whole app, mounted routers and Bull Board included', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /:lang/news/:slug',
        'POST /desk/login',
        'PUT /api/v1/tasks/:id/segments',
        'PUT /desk/queues/api/queues/:queueName/pause',
        'POST /websub/hub',
      ]),
    );
    expect(routes.length).toBeGreaterThan(60);
  });

  it(
    'missing auth: 401 on the API and the board, the desk asks to sign in, nothing changes',
    async () => {
      const problems = await everyRoute(
        () => true,
        async (r) => {
          const res = await send(undefined, r.method, fill(r), { json: changesState(r) ? {} : undefined });
          const label = `anonymous ${r.method} ${r.path}`;
          if ((isApi(r) || isBoard(r)) && res.status !== 401) return `${label}: ${res.status}, not 401`;
          if (isDesk(r) && !OPEN_DESK.has(r.path)) {
            if (!changesState(r) && res.status !== 303)
              return `${label}: ${res.status}, not a redirect to sign-in`;
            if (changesState(r) && (res.status < 400 || res.status >= 500)) return `${label}: ${res.status}`;
          }
          return problem(label, res);
        },
      );
      expect(problems).toEqual([]);
    },
    SLOW,
  );

  it(
    'wrong role: a translator without pairs changes nothing and never sees the queue board',
    async () => {
      const problems = await everyRoute(
        (r) => isApi(r) || isBoard(r) || isDesk(r),
        async (r) => {
          const url = fill(r);
          const bearer = await send(undefined, r.method, url, {
            headers: { Authorization: `Bearer ${pairless.token}` },
            json: changesState(r) ? { pair: 'ru:hy', decision: 'approve', baseRevision: 1 } : undefined,
          });
          const session = await send(pairlessDesk.agent, r.method, url, {
            headers: { 'x-csrf-token': pairlessDesk.csrf },
            json: changesState(r) ? { pair: 'ru:hy', decision: 'approve', baseRevision: 1 } : undefined,
          });
          const out: (string | undefined)[] = [];
          for (const [how, res] of [
            ['bearer', bearer],
            ['session', session],
          ] as const) {
            const label = `pairless (${how}) ${r.method} ${r.path}`;
            const mayChange = OPEN_DESK.has(r.path) || (how === 'bearer' && isDesk(r));
            if (changesState(r) && !mayChange && res.status < 400) out.push(`${label}: ${res.status}`);
            if (isBoard(r) && res.status !== 403) out.push(`${label}: ${res.status}, not 403`);
            out.push(problem(label, res));
          }
          return out;
        },
      );
      expect(problems).toEqual([]);
    },
    SLOW,
  );

  it(
    "wrong pair: another pair's task id gets 403 and none of its text, on every route that takes one",
    async () => {
      const problems = await everyRoute(
        (r) => /\/(tasks|reviews)\/:id/.test(r.path),
        async (r) => {
          const url = fill(r);
          const body = {
            baseRevision: hyTask.revision + 3,
            segments: [{ i: 0, target: 'x' }],
            decision: 'approve',
          };
          const out: (string | undefined)[] = [];
          for (const [how, res] of [
            [
              'bearer',
              await send(undefined, r.method, url, {
                headers: otherPair.auth,
                json: changesState(r) ? body : undefined,
              }),
            ],
            [
              'session',
              await send(otherPairDesk.agent, r.method, url, {
                headers: { 'x-csrf-token': otherPairDesk.csrf },
                json: changesState(r) ? body : undefined,
              }),
            ],
          ] as const) {
            if (how === 'bearer' && isDesk(r)) continue; // the desk reads only its cookie
            const label = `ru:en user (${how}) ${r.method} ${r.path}`;
            if (res.status !== 403) out.push(`${label}: ${res.status}, not 403`);
            if (res.text.includes(hyTask.segments[0].source)) out.push(`${label}: shows the task's text`);
            out.push(problem(label, res));
          }
          return out;
        },
      );
      expect(problems).toEqual([]);
    },
    SLOW,
  );

  it(
    'no CSRF token: every cookie-authenticated state change is 403 csrf_invalid, whatever other headers say',
    async () => {
      const problems = await everyRoute(
        (r) => changesState(r) && (isApi(r) || isBoard(r) || isDesk(r)),
        async (r) => {
          const out: (string | undefined)[] = [];
          for (const headers of [{}, { Authorization: 'Bearer' }, { 'x-csrf-token': 'forged' }] as Record<
            string,
            string
          >[]) {
            const res = await send(adminDesk.agent, r.method, fill(r), { headers, json: {} });
            const label = `admin session ${JSON.stringify(headers)} ${r.method} ${r.path}`;
            if (res.status < 400) out.push(`${label}: ${res.status}`);
            else if (!['csrf_invalid', 'invalid_token'].includes(res.code ?? ''))
              out.push(`${label}: ${res.status} ${res.code}`);
          }
          return out;
        },
      );
      expect(problems).toEqual([]);
    },
    SLOW,
  );

  it(
    'malformed ids: junk, traversal, huge and broken-encoding parameters are 4xx, never 5xx',
    async () => {
      const junk = [
        '%00',
        '..%2F..%2Fetc%2Fpasswd',
        'x'.repeat(3000),
        '%7B%22%24gt%22%3A%22%22%7D',
        "'%20OR%201%3D1--",
        '%E0%A4%A',
        '%20',
      ];
      const problems = await everyRoute(hasParams, async (r) => {
        const out: (string | undefined)[] = [];
        for (const j of junk) {
          const url = fill(r, () => j);
          const res = isDesk(r)
            ? await send(adminDesk.agent, r.method, url, {
                headers: { 'x-csrf-token': adminDesk.csrf },
                json: changesState(r) ? {} : undefined,
              })
            : await send(undefined, r.method, url, {
                headers: admin.auth,
                json: changesState(r) ? {} : undefined,
              });
          out.push(problem(`admin ${r.method} ${r.path} with ${j.slice(0, 30)}`, res));
        }
        return out;
      });
      expect(problems).toEqual([]);
    },
    SLOW,
  );

  it(
    'NoSQL operators in a body or query are 400 operator_not_allowed on every route',
    async () => {
      const body = {
        email: { $gt: '' },
        password: { $ne: null },
        pair: { $gt: '' },
        baseRevision: { $gt: 0 },
        title: { $where: 'sleep(1000)' },
        'hub.callback': { $regex: '.*' },
      };
      const problems = await everyRoute(
        (r) => !READS_NO_INPUT.has(r.path),
        async (r) => {
          const url = fill(r);
          const viaQuery = await send(undefined, r.method, `${url}?$where=1&pair=ru:en`, {
            headers: admin.auth,
          });
          const viaBody = changesState(r)
            ? await send(undefined, r.method, url, { headers: admin.auth, json: body })
            : undefined;
          const out: (string | undefined)[] = [];
          for (const [how, res] of [
            ['query', viaQuery],
            ['body', viaBody],
          ] as const) {
            if (!res) continue;
            const label = `operators in ${how} ${r.method} ${r.path}`;
            if (res.status !== 400 || res.code !== 'operator_not_allowed')
              out.push(`${label}: ${res.status} ${res.code}`);
          }
          return out;
        },
      );
      expect(problems).toEqual([]);
    },
    SLOW,
  );

  it(
    'oversized bodies are 413 payload_too_large before any route runs',
    async () => {
      const big = { title: 'x'.repeat(2_200_000) };
      const problems = await everyRoute(changesState, async (r) => {
        const res = await send(undefined, r.method, fill(r), { headers: admin.auth, json: big });
        const label = `2.2 MB ${r.method} ${r.path}`;
        if (res.status !== 413 || res.code !== 'payload_too_large')
          return `${label}: ${res.status} ${res.code}`;
        return undefined;
      });
      expect(problems).toEqual([]);
    },
    SLOW,
  );

  it(
    'oversized fields and control characters in every field are 4xx or harmless, never 5xx',
    async () => {
      const dirty = 'a\u0000b\u001b[2Jc\u0007\u007f';
      const fields = (value: string) => ({
        title: value,
        lead: value,
        body: `<p>${value}</p>`,
        slug: value,
        note: value,
        email: value,
        password: value,
        name: value,
        pair: value,
        decision: value,
        baseRevision: 1,
        segments: [{ i: 0, target: value }],
        'hub.mode': value,
        'hub.topic': value,
        'hub.callback': value,
        'hub.secret': value,
        lang: value,
        langs: [value],
        tags: [value],
      });
      const problems = await everyRoute(
        () => true,
        async (r) => {
          const out: (string | undefined)[] = [];
          for (const value of [dirty, 'é'.repeat(600_000)]) {
            const json = changesState(r) ? fields(value) : undefined;
            const url = `${fill(r)}?q=${encodeURIComponent(value.slice(0, 2000))}`;
            const res = isDesk(r)
              ? await send(adminDesk.agent, r.method, url, {
                  headers: { 'x-csrf-token': adminDesk.csrf },
                  json,
                })
              : await send(undefined, r.method, url, { headers: admin.auth, json });
            out.push(problem(`${value.length} chars ${r.method} ${r.path}`, res));
            // Our input coming back with its control characters (a static bundle may hold its own).
            // eslint-disable-next-line no-control-regex
            if (res.status < 300 && /b\u001b\[2Jc|a\u0000b/.test(res.text))
              out.push(`${r.method} ${r.path}: echoes control characters`);
          }
          return out;
        },
      );
      expect(problems).toEqual([]);
    },
    SLOW,
  );
});
