import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { badRequest } from '../../errors.js';
import { TbxError, readTbx, writeTbx } from '../../exchange/tbx.js';
import { PARTS_OF_SPEECH, TERM_STATUSES } from '../../models/glossary-term.js';
import { deleteTerm, loadTermbase, putTerm, termIssues, termsInSource } from '../../workflow/glossary.js';
import { apiRoute } from './openapi/api-route.js';
import { PairParams, pairResourceAccess } from './pair-resource.js';

const Tag = 'Termbase';
const TermBody = z.object({
  source: z.string().trim().min(1).max(200),
  target: z.string().trim().max(200).optional(),
  status: z.enum(TERM_STATUSES).default('preferred'),
  pos: z.enum(PARTS_OF_SPEECH).optional(),
  note: z.string().max(2_000).optional(),
});
const TermParams = PairParams.extend({ id: z.string().max(500) });
const MatchQuery = z.object({ source: z.string().min(1).max(10_000) });
const CheckQuery = MatchQuery.extend({ target: z.string().max(20_000) });
const XML_TYPES = ['application/x-tbx+xml', 'application/tbx+xml', 'application/xml', 'text/xml'];

/** The termbase per pair: list, add, delete, match a segment, TBX (docs/api.md). */
export function termsRouter(ctx: AppContext): Router {
  const router = Router();
  const { read, curate } = pairResourceAccess(ctx);

  apiRoute(
    router,
    'get',
    '/terms/:pair',
    {
      tag: Tag,
      summary: 'The pair’s terms',
      ...read,
      responses: { 200: 'Terms' },
    },
    async ({ params }, _req, res) => {
      res.json({ terms: await loadTermbase(params.pair) });
    },
  );

  apiRoute(
    router,
    'get',
    '/terms/:pair/match',
    {
      tag: Tag,
      summary: 'Terms in a source segment (inflection-aware), with offsets',
      ...read,
      query: MatchQuery,
      responses: { 200: 'Hits in text order' },
    },
    async ({ params, query }, _req, res) => {
      const hits = termsInSource(params.pair.split(':')[0], query.source, await loadTermbase(params.pair));
      res.json({ hits });
    },
  );

  apiRoute(
    router,
    'get',
    '/terms/:pair/check',
    {
      tag: Tag,
      summary: 'Termbase QA of one segment as the translator types',
      description:
        'The checks submit runs: `glossary_term_missing` (a preferred rendering absent), `glossary_term_forbidden` (a forbidden one present), inflected forms included.',
      ...read,
      query: CheckQuery,
      responses: { 200: '{issues}' },
    },
    async ({ params, query }, _req, res) => {
      const issues = termIssues(params.pair, { i: 0, ...query }, await loadTermbase(params.pair));
      res.json({ issues });
    },
  );

  apiRoute(
    router,
    'post',
    '/terms/:pair',
    {
      tag: Tag,
      summary: 'Add or replace a term',
      ...curate,
      body: TermBody,
      responses: { 200: 'The term', 400: 'term_incomplete' },
    },
    async ({ params, body }, req, res) => {
      res.json({ term: await putTerm(params.pair, body, req.user!.id) });
    },
  );

  apiRoute(
    router,
    'delete',
    '/terms/:pair/:id',
    {
      tag: Tag,
      summary: 'Delete a term',
      ...curate,
      params: TermParams,
      responses: { 204: 'Deleted', 404: 'term_not_found' },
    },
    async ({ params }, req, res) => {
      await deleteTerm(req.user!, params.pair, params.id);
      res.status(204).end();
    },
  );

  apiRoute(
    router,
    'get',
    '/terms/:pair/tbx',
    {
      tag: Tag,
      summary: 'Export as TBX-Basic (TBX v3)',
      ...curate,
      responses: { 200: 'application/x-tbx+xml' },
    },
    async ({ params }, _req, res) => {
      const [from, to] = params.pair.split(':');
      res
        .type('application/x-tbx+xml')
        .set('Content-Disposition', `attachment; filename="terms-${from}-${to}.tbx"`)
        .send(writeTbx(await loadTermbase(params.pair), { from, to }));
    },
  );

  apiRoute(
    router,
    'post',
    '/terms/:pair/tbx',
    {
      tag: Tag,
      summary: 'Import a TBX file (TBX-Basic v3 or TBX 2)',
      ...curate,
      guards: [...curate.guards, express.text({ type: XML_TYPES, limit: '20mb' })],
      responses: { 200: 'Added count', 400: 'tbx_invalid, tbx_missing' },
    },
    async ({ params }, req, res) => {
      if (typeof req.body !== 'string' || !req.body)
        throw badRequest('tbx_missing', 'Send the TBX file as the body');
      const [from, to] = params.pair.split(':');
      try {
        const read = readTbx(req.body, from, to);
        for (const t of read.terms) await putTerm(params.pair, t, req.user!.id);
        res.json({ added: read.terms.length, skippedEntries: read.skipped });
      } catch (err) {
        if (err instanceof TbxError) throw badRequest('tbx_invalid', err.message);
        throw err;
      }
    },
  );

  return router;
}
