import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { badRequest } from '../../errors.js';
import { TmxError } from '../../exchange/tmx.js';
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
import { apiRoute } from './openapi/api-route.js';
import { PairParams, pairResourceAccess } from './pair-resource.js';

const Tag = 'Translation memory';
const EntryParams = PairParams.extend({ id: z.string().max(200) });
const ConcordanceQuery = z.object({
  q: z.string().trim().min(1).max(MAX_QUERY_LENGTH),
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
const ImportQuery = z.object({ file: z.string().max(200).default('api.tmx') });

const XML_TYPES = ['application/x-tmx+xml', 'application/xml', 'text/xml'];

/** Translation memory per pair: suggestions, concordance, entries, TMX (docs/api.md). */
export function tmRouter(ctx: AppContext): Router {
  const router = Router();
  const { read, curate } = pairResourceAccess(ctx);

  apiRoute(
    router,
    'get',
    '/tm/:pair/lookup',
    {
      tag: Tag,
      summary: 'Suggestions for one segment',
      description: '101 % context, 100 % exact and fuzzy (≥ 75 %) matches with band, penalties and diff.',
      ...read,
      query: LookupQuery,
      responses: { 200: 'Suggestions, best first' },
    },
    async ({ params, query }, _req, res) => {
      const suggestions = await lookupMemory(ctx, params.pair, query.source, {
        prev: query.prev,
        next: query.next,
      });
      res.json({ suggestions });
    },
  );

  apiRoute(
    router,
    'get',
    '/tm/:pair/concordance',
    {
      tag: Tag,
      summary: 'Concordance search',
      description: 'Entries whose source or target contains a word or phrase (stemmed), with their stories.',
      ...read,
      query: ConcordanceQuery,
      responses: { 200: 'Matching entries, newest first' },
    },
    async ({ params, query }, _req, res) => {
      res.json({ results: await concordance(params.pair, query.q, { in: query.in, limit: query.limit }) });
    },
  );

  apiRoute(
    router,
    'get',
    '/tm/:pair/entries',
    {
      tag: Tag,
      summary: 'Browse and search entries',
      ...curate,
      query: ListQuery,
      responses: { 200: 'A page of entries with provenance' },
    },
    async ({ params, query }, _req, res) => {
      res.json(await listEntries(params.pair, query));
    },
  );

  apiRoute(
    router,
    'patch',
    '/tm/:pair/entries/:id',
    {
      tag: Tag,
      summary: 'Edit an entry’s translation or note',
      ...curate,
      params: EntryParams,
      body: EntryChange,
      responses: { 200: 'The entry', 400: 'tm_target_empty', 404: 'tm_entry_not_found' },
    },
    async ({ params, body }, req, res) => {
      res.json({ entry: await updateEntry(ctx, req.user!, params.pair, params.id, body) });
    },
  );

  apiRoute(
    router,
    'delete',
    '/tm/:pair/entries/:id',
    {
      tag: Tag,
      summary: 'Delete an entry',
      description: 'It leaves matching and export; the record keeps who deleted it and when.',
      ...curate,
      params: EntryParams,
      responses: { 204: 'Deleted', 404: 'tm_entry_not_found' },
    },
    async ({ params }, req, res) => {
      await deleteEntry(ctx, req.user!, params.pair, params.id);
      res.status(204).end();
    },
  );

  apiRoute(
    router,
    'get',
    '/tm/:pair/tmx',
    {
      tag: Tag,
      summary: 'Export the pair’s memory as TMX 1.4b',
      ...curate,
      responses: { 200: 'application/x-tmx+xml' },
    },
    async ({ params }, _req, res) => {
      res
        .type('application/x-tmx+xml')
        .set('Content-Disposition', `attachment; filename="tm-${params.pair.replace(':', '-')}.tmx"`)
        .send(await exportTmx(params.pair));
    },
  );

  apiRoute(
    router,
    'post',
    '/tm/:pair/tmx',
    {
      tag: Tag,
      summary: 'Import a TMX file into the pair’s memory',
      description: `Body: the file, Content-Type ${XML_TYPES.join(', ')}; at most 20 MB.`,
      ...curate,
      // Authorise before the body is even read.
      guards: [...curate.guards, express.text({ type: XML_TYPES, limit: '20mb' })],
      query: ImportQuery,
      responses: { 200: 'Added count and skipped units', 400: 'tmx_invalid, tmx_missing' },
    },
    async ({ params, query }, req, res) => {
      if (typeof req.body !== 'string' || !req.body) {
        throw badRequest('tmx_missing', `Send the TMX file as the body with Content-Type ${XML_TYPES[0]}`);
      }
      try {
        res.json(await importTmx(ctx, req.user!, params.pair, req.body, query.file));
      } catch (err) {
        if (err instanceof TmxError) throw badRequest('tmx_invalid', err.message);
        throw err;
      }
    },
  );

  return router;
}
