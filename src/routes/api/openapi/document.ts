import type { Router } from 'express';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../../middleware/session.js';
import type { ApiResponse, ApiRouteSpec } from './api-route.js';
import { routerRoutes } from './router-routes.js';

type JsonSchema = Record<string, unknown>;

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect), as a client must send it. */
export function jsonSchema(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      // Dates arrive as ISO 8601 strings (z.coerce.date()).
      if (ctx.zodSchema._zod.def.type === 'date')
        Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

const ErrorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable; branch on it, never on the message' },
        message: { type: 'string' },
        details: { description: 'Per-field or per-segment context' },
      },
    },
  },
};

/** Express `/tasks/:id/segments` → OpenAPI `/tasks/{id}/segments`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(spec: ApiRouteSpec, path: string) {
  const out: JsonSchema[] = [];
  const names = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
  const params = spec.params ? jsonSchema(spec.params) : undefined;
  const paramProps = (params?.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of names) {
    out.push({ name, in: 'path', required: true, schema: paramProps[name] ?? { type: 'string' } });
  }
  if (spec.query) {
    const query = jsonSchema(spec.query);
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query.properties ?? {}) as Record<string, JsonSchema>)) {
      const { description, ...rest } = schema;
      out.push({
        name,
        in: 'query',
        required: required.has(name),
        schema: rest,
        ...(description ? { description } : {}),
      });
    }
  }
  return out;
}

function response(status: number, r: ApiResponse) {
  const { description, schema } = typeof r === 'string' ? { description: r, schema: undefined } : r;
  if (status === 204 || (status < 400 && !schema && status >= 300)) return { description };
  const body =
    status >= 400 ? { $ref: '#/components/schemas/Error' } : schema ? jsonSchema(schema) : { type: 'object' };
  return { description, content: { 'application/json': { schema: body } } };
}

function operation(spec: ApiRouteSpec, path: string) {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) responses[status] = response(Number(status), r);
  // What every route can answer, unless it says more precisely.
  const common: Record<number, string> = {};
  if (spec.params || spec.query || spec.body)
    common[400] = 'invalid_request: a field is missing or malformed';
  if (spec.access !== 'public') {
    common[401] = 'unauthenticated, invalid_token';
    common[403] = 'forbidden_role, forbidden_pair, csrf_invalid';
  }
  for (const [status, description] of Object.entries(common)) {
    responses[status] ??= response(Number(status), description);
  }
  return {
    tags: [spec.tag],
    summary: spec.summary,
    description: [spec.description, `**Access:** ${spec.access}.`].filter(Boolean).join('\n\n'),
    operationId: operationId(spec, path),
    ...(spec.access === 'public' ? { security: [] } : {}),
    parameters: parameters(spec, path),
    ...(spec.body
      ? {
          requestBody: {
            // A body whose every field is optional may be left out.
            required: !spec.body.safeParse({}).success,
            content: { 'application/json': { schema: jsonSchema(spec.body) } },
          },
        }
      : {}),
    responses,
  };
}

const operationId = (spec: ApiRouteSpec, path: string) =>
  spec.summary
    .replace(/[^A-Za-z0-9 ]/g, ' ')
    .trim()
    .split(/\s+/)
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase()))
    .join('') || openApiPath(path);

/**
 * The OpenAPI 3.1 document of a router, built from the routes Express holds and the specs
 * they were declared with (`apiRoute`). Routes declared without a spec are listed in
 * `x-undocumented` so that the test, and anyone reading the document, sees them.
 */
export function openApiDocument(router: Router, options: { version: string; serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const undocumented: string[] = [];
  const operationIds = new Set<string>();
  for (const route of routerRoutes(router)) {
    if (!route.registered) {
      undocumented.push(`${route.method.toUpperCase()} ${route.path}`);
      continue;
    }
    const op = operation(route.registered.spec, route.path);
    if (operationIds.has(op.operationId))
      throw new Error(`two API routes are summarised "${route.registered.spec.summary}"`);
    operationIds.add(op.operationId);
    (paths[openApiPath(route.path)] ??= {})[route.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Newsroom API',
      version: options.version,
      description:
        'The JSON API used by the desk and by automation. Clients may rely on routes, field names and error codes (never on error messages). Prose and examples: docs/api.md.',
    },
    servers: [{ url: options.serverUrl }],
    security: [{ bearerToken: [] }, { deskSession: [] }],
    paths,
    components: {
      schemas: { Error: ErrorBody },
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A per-user API token `nrt_…` (npm run newsroom -- token add)',
        },
        deskSession: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'The desk session; state changes also need the CSRF token in `x-csrf-token`',
        },
      },
    },
    ...(undocumented.length ? { 'x-undocumented': undocumented } : {}),
  };
}
