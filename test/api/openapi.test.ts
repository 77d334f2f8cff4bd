import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import express, { Router, type Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoute } from '../../src/routes/api/openapi/api-route.js';
import { openApiDocument, openApiPath } from '../../src/routes/api/openapi/document.js';
import { routerRoutes } from '../../src/routes/api/openapi/router-routes.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  'x-undocumented'?: string[];
};
type Parameter = { name: string; in: 'path' | 'query'; required: boolean; schema: object };
type Operation = {
  parameters: Parameter[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: object } } };
};

let rt: TestRuntime;
let doc: Doc;
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en,hy' });
  const res = await request(rt.app).get('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body as Doc;
});
afterAll(async () => {
  await rt?.close();
});

const ajv = () => {
  const a = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(a);
  return a;
};

/** Finds the document's operation for a concrete request path such as /api/v1/tasks/abc/submit. */
function operationFor(
  method: string,
  path: string,
): { template: string; op: Operation; params: Record<string, string> } {
  for (const [template, ops] of Object.entries(doc.paths)) {
    const names: string[] = [];
    const re = new RegExp(
      '^' +
        template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, n: string) => {
          names.push(n);
          return '([^/]+)';
        }) +
        '$',
    );
    const m = re.exec(path.replace(/^\/api\/v1/, ''));
    const op = ops[method.toLowerCase()];
    if (m && op) return { template, op, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1]])) };
  }
  throw new Error(`${method} ${path} is not in the OpenAPI document`);
}

describe('OpenAPI document of /api/v1', () => {
  it('is a valid OpenAPI 3.1 document, served without credentials', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every route the Express router answers under /api/v1, and nothing undocumented', () => {
    const routes = routerRoutes(rt.app.router as unknown as Router).filter((r) =>
      r.path.startsWith('/api/v1/'),
    );
    expect(routes.length).toBeGreaterThanOrEqual(16);
    const missing = routes
      .filter((r) => !doc.paths[openApiPath(r.path.slice('/api/v1'.length))]?.[r.method])
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
    expect(doc['x-undocumented']).toBeUndefined();
  });

  it('names a route declared around the registry as undocumented', () => {
    const router = Router();
    apiRoute(
      router,
      'get',
      '/known/:id',
      { tag: 'T', summary: 'Known', access: 'public', responses: { 200: 'ok' } },
      () => {},
    );
    const inner = Router();
    inner.post('/sneaky', () => {});
    router.use('/inner', inner);
    const d = openApiDocument(router, { version: '0', serverUrl: 'http://x' });
    expect(Object.keys(d.paths)).toEqual(['/known/{id}']);
    expect(d['x-undocumented']).toEqual(['POST /inner/sneaky']);
  });

  it('describes request bodies with the zod schemas that validate them', async () => {
    const claim = operationFor('POST', '/api/v1/tasks/claim').op;
    const validate = ajv().compile(claim.requestBody!.content['application/json'].schema);
    expect(validate({ pair: 'ru:en' })).toBe(true);
    expect(validate({ pair: 'russian' })).toBe(false);
    // …and the server rejects what the document rejects.
    const translator = await buildUser(['translator'], ['ru:en']);
    const res = await request(rt.app)
      .post('/api/v1/tasks/claim')
      .set(translator.auth)
      .send({ pair: 'russian' });
    expect(res.status).toBe(400);

    const create = operationFor('POST', '/api/v1/stories').op.requestBody!;
    expect(create.required).toBe(true);
    const schema = create.content['application/json'].schema as {
      required: string[];
      properties: Record<string, object>;
    };
    expect(schema.required).toEqual(expect.arrayContaining(['title', 'body']));
    expect(schema.properties.dueAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(operationFor('POST', '/api/v1/tasks/x/cancel').op.requestBody!.required).toBe(false);
  });

  it('validates the zod schema of a route declared with the registry before its handler runs', async () => {
    const router = Router();
    let ran = 0;
    apiRoute(
      router,
      'post',
      '/echo/:n',
      {
        tag: 'T',
        summary: 'Echo',
        access: 'public',
        params: z.object({ n: z.coerce.number().int() }),
        body: z.object({ word: z.string().min(1) }),
        responses: { 200: 'ok' },
      },
      ({ params, body }, _req, res) => {
        ran++;
        res.json({ n: params.n + 1, word: body.word });
      },
    );
    const app = express().use(express.json()).use(router);
    app.use((err: { status?: number; code?: string }, _req: unknown, res: Response, _next: unknown) => {
      res.status(err.status ?? 500).json({ code: err.code });
    });
    expect((await request(app).post('/echo/41').send({ word: 'hi' })).body).toEqual({ n: 42, word: 'hi' });
    const bad = await request(app).post('/echo/x').send({ word: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_request');
    expect(ran).toBe(1);
  });

  it('accepts every example request in docs/api.md', () => {
    const md = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'api.md'), 'utf8');
    const blocks = [...md.matchAll(/```http\n([\s\S]*?)```/g)].map((m) => m[1]);
    const requests = blocks.filter((b) => /^(GET|POST|PUT|PATCH|DELETE) \//.test(b));
    expect(requests.length).toBeGreaterThanOrEqual(12);
    const problems: string[] = [];
    let bodies = 0;
    for (const block of requests) {
      const lines = block.split('\n');
      const [method, target] = lines[0].split(' ');
      const url = new URL(target, 'http://x');
      let found;
      try {
        found = operationFor(method, url.pathname);
      } catch (err) {
        problems.push((err as Error).message);
        continue;
      }
      const { op, template } = found;
      const where = `${method} ${template}`;
      // Query: every parameter known, each value valid (query strings are strings: coerce).
      const coerce = new Ajv2020({ strict: false, coerceTypes: true });
      addFormats.default(coerce);
      for (const [name, value] of url.searchParams) {
        const p = op.parameters.find((x) => x.in === 'query' && x.name === name);
        if (!p) problems.push(`${where}: unknown query parameter ${name}`);
        else if (value !== '' && !coerce.validate(p.schema, value))
          problems.push(`${where}: ${name}=${value} is invalid`);
      }
      // Body: the lines after the headers up to the first response status line.
      const rest = lines.slice(1);
      const bodyLines: string[] = [];
      for (const line of rest) {
        if (/^\d{3}\b/.test(line)) break;
        if (bodyLines.length === 0 && /^[A-Za-z-]+: /.test(line)) continue; // a header
        bodyLines.push(line);
      }
      const text = bodyLines.join('\n').trim();
      if (!text) {
        if (op.requestBody?.required)
          problems.push(`${where}: the example sends no body but one is required`);
        continue;
      }
      if (!op.requestBody) {
        problems.push(`${where}: the example sends a body the route does not take`);
        continue;
      }
      const validate = ajv().compile(op.requestBody.content['application/json'].schema);
      bodies++;
      if (!validate(JSON.parse(text))) problems.push(`${where}: ${JSON.stringify(validate.errors)}`);
    }
    expect(problems).toEqual([]);
    expect(bodies).toBeGreaterThanOrEqual(8);
  });
});
