import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { badRequest } from '../../errors.js';
import { TmxError } from '../../exchange/tmx.js';
import {
  assertCanCurateResources,
  assertCanReadResources,
  assertConfiguredPair,
} from '../../policies/resource-policy.js';
import { requireUser } from '../../policies/require-role.js';
import {
  MAX_QUERY_LENGTH,
  concordance,
  deleteEntry,
  exportTmx,
  importTmx,
  listEntries,
  updateEntry,
} from '../../workflow/tm/tm-entries.js';
import { lookupMemory } from '../../workflow/translation-memory.js';
import { parseInput } from './validate.js';

const Query = z.string().trim().min(1).max(MAX_QUERY_LENGTH);
const ConcordanceQuery = z.object({
  q: Query,
  in: z.enum(['source', 'target', 'both']).default('both'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const ListQuery = z.object({
  q: z.string().trim().max(MAX_QUERY_LENGTH).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const EntryChange = z
  .object({ target: z.string().max(10_000).optional(), note: z.string().max(2_000).optional() })
  .strict();
const LookupQuery = z.object({
  source: z.string().min(1).max(10_000),
  prev: z.string().max(10_000).optional(),
  next: z.string().max(10_000).optional(),
});

const XML_TYPES = ['application/x-tmx+xml', 'application/xml', 'text/xml'];

/** Translation memory per pair: suggestions, concordance, entries, TMX (docs/api.md). */
export function tmRouter(ctx: AppContext): Router {
  const router = Router();
  const reader = (req: Request) => {
    const pair = String(req.params.pair);
    assertCanReadResources(req.user!, pair);
    assertConfiguredPair(ctx.config, pair);
    return pair;
  };
  const curator = (req: Request) => {
    const pair = String(req.params.pair);
    assertCanCurateResources(req.user!, pair);
    assertConfiguredPair(ctx.config, pair);
    return pair;
  };

  router.get('/tm/:pair/lookup', requireUser, async (req, res) => {
    const pair = reader(req);
    const q = parseInput(LookupQuery, req.query);
    res.json({ suggestions: await lookupMemory(ctx, pair, q.source, { prev: q.prev, next: q.next }) });
  });

  router.get('/tm/:pair/concordance', requireUser, async (req, res) => {
    const pair = reader(req);
    const q = parseInput(ConcordanceQuery, req.query);
    res.json({ results: await concordance(pair, q.q, { in: q.in, limit: q.limit }) });
  });

  router.get('/tm/:pair/entries', requireUser, async (req, res) => {
    const pair = curator(req);
    const q = parseInput(ListQuery, req.query);
    res.json(await listEntries(pair, q));
  });

  router.patch('/tm/:pair/entries/:id', requireUser, async (req, res) => {
    const pair = curator(req);
    const change = parseInput(EntryChange, req.body);
    res.json({ entry: await updateEntry(ctx, req.user!, pair, String(req.params.id), change) });
  });

  router.delete('/tm/:pair/entries/:id', requireUser, async (req, res) => {
    const pair = curator(req);
    await deleteEntry(ctx, req.user!, pair, String(req.params.id));
    res.status(204).end();
  });

  router.get('/tm/:pair/tmx', requireUser, async (req, res) => {
    const pair = curator(req);
    res
      .type('application/x-tmx+xml')
      .set('Content-Disposition', `attachment; filename="tm-${pair.replace(':', '-')}.tmx"`)
      .send(await exportTmx(pair));
  });

  router.post(
    '/tm/:pair/tmx',
    requireUser,
    (req, _res, next) => {
      curator(req);
      next();
    },
    express.text({ type: XML_TYPES, limit: '20mb' }),
    async (req, res) => {
      const pair = String(req.params.pair);
      if (typeof req.body !== 'string' || !req.body) {
        throw badRequest('tmx_missing', `Send the TMX file as the body with Content-Type ${XML_TYPES[0]}`);
      }
      try {
        res.json(await importTmx(ctx, req.user!, pair, req.body, String(req.query.file ?? 'api.tmx')));
      } catch (err) {
        if (err instanceof TmxError) throw badRequest('tmx_invalid', err.message);
        throw err;
      }
    },
  );

  return router;
}
