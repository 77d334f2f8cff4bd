import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { machineSuggestions } from '../../mt/machine-translation.js';
import { mtEnabled } from '../../mt/mt-providers.js';
import { apiRoute } from './openapi/api-route.js';
import { pairResourceAccess } from './pair-resource.js';

const MtQuery = z.object({ source: z.string().min(1).max(10_000) });

/** Machine translation of one segment, for the workbench (docs/api.md). */
export function mtRouter(ctx: AppContext): Router {
  const router = Router();
  apiRoute(
    router,
    'get',
    '/mt/:pair',
    {
      tag: 'Machine translation',
      summary: 'Machine translation of one segment',
      description:
        'Labelled `kind: "mt"`, scored 0.7 (below every memory match). `available: false` when MT is not configured for the pair; `suggestion: null` when the engine is down, slow or rate-limited (never an error).',
      ...pairResourceAccess(ctx).read,
      query: MtQuery,
      responses: { 200: '{available, suggestion}' },
    },
    async ({ params, query }, _req, res) => {
      const available = mtEnabled(ctx.config, params.pair);
      const [suggestion] = available ? await machineSuggestions(ctx, params.pair, [query.source]) : [null];
      res.json({ available, suggestion: suggestion ?? null });
    },
  );
  return router;
}
