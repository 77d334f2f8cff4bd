import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { authorisePairResource, type ResourceUse } from '../../policies/resource-policy.js';
import { requireUser } from '../../policies/require-role.js';

export const PairParams = z.object({ pair: z.string().max(16).describe("A language pair, e.g. 'ru:en'") });

const ACCESS: Record<ResourceUse, string> = {
  read: 'translator or reviewer of the pair',
  curate: 'reviewer of the pair',
};

/**
 * The spec fields every `/…/:pair` route on language resources (TM, termbase, MT) shares:
 * who may call it, its guards (signed in, then `authorisePairResource`) and the `:pair`
 * parameter. Spread into an `apiRoute` spec: `{ tag, summary, ...pairAccess.read, query }`.
 */
export function pairResourceAccess(ctx: AppContext) {
  const spec = (use: ResourceUse) => {
    const guard: RequestHandler = (req, _res, next) => {
      authorisePairResource(req.user!, ctx.config, String(req.params.pair), use);
      next();
    };
    return { access: ACCESS[use], guards: [requireUser, guard], params: PairParams };
  };
  return { read: spec('read'), curate: spec('curate') };
}
