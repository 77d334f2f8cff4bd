import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { parseInput } from '../validate.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A response in the reference: a description, or a description and the body's zod schema. */
export type ApiResponse = string | { description: string; schema?: z.ZodType };

/**
 * What the OpenAPI document says about one route. The same `params`, `query` and `body`
 * schemas validate the request before the handler runs, so the document cannot drift from
 * what the server accepts.
 */
export interface ApiRouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  /** Groups routes in the reference: 'Stories', 'Tasks', … */
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it, shown in the reference ('editor', 'translator of the pair', 'public'). */
  access: string;
  /** Guards (role checks) that run before anything is parsed or read: authorise first. */
  guards?: RequestHandler[];
  /** Path parameters; without it every `:name` in the path is a string. */
  params?: P;
  query?: Q;
  /** The stable code of a 400 for a query `query` refuses (default `invalid_request`). */
  queryErrorCode?: string;
  body?: B;
  /** Keyed by status. Error statuses (≥ 400) get the shared `{error: {code, message}}` body. */
  responses: Record<number, ApiResponse>;
}

export interface ApiInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
}

export type ApiHandler<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = (
  input: ApiInput<P, Q, B>,
  req: Request,
  res: Response,
) => unknown;

/** A registered route as the document builder sees it. */
export interface RegisteredRoute {
  method: HttpMethod;
  path: string;
  spec: ApiRouteSpec;
}

/** Express routes created by `apiRoute`, keyed by the Route object Express keeps in its stack. */
const registered = new WeakMap<object, RegisteredRoute>();

export function registeredRoute(expressRoute: object): RegisteredRoute | undefined {
  return registered.get(expressRoute);
}

type Anything = z.ZodUnknown;

/**
 * Declares a documented JSON API route on `router`: guards, then validation of params, query
 * and body with the spec's zod schemas (a bad field is `400 invalid_request`), then the handler
 * with the parsed input. Every route under /api/v1 must be declared this way: a test fails on
 * an Express route the OpenAPI document does not list.
 *
 *   apiRoute(router, 'post', '/tasks/claim', { tag: 'Tasks', summary: 'Claim the next task', access: 'translator',
 *     guards: [requireRole('translator')], body: ClaimInput, responses: { 200: 'The task', 204: 'None open' } },
 *     async ({ body }, req, res) => { … });
 */
export function apiRoute<
  P extends z.ZodType = z.ZodType<Record<string, string>>,
  Q extends z.ZodType = Anything,
  B extends z.ZodType = Anything,
>(
  router: Router,
  method: HttpMethod,
  path: string,
  spec: ApiRouteSpec<P, Q, B>,
  handler: ApiHandler<P, Q, B>,
): void {
  const run: RequestHandler = async (req, res) => {
    const input = {
      params: spec.params ? parseInput(spec.params, req.params) : req.params,
      query: spec.query ? parseInput(spec.query, req.query, spec.queryErrorCode) : req.query,
      body: spec.body ? parseInput(spec.body, req.body) : undefined,
    } as ApiInput<P, Q, B>;
    await handler(input, req, res);
  };
  const route = router.route(path);
  route[method](...(spec.guards ?? []), run);
  registered.set(route, { method, path, spec: spec as unknown as ApiRouteSpec });
}
