import { Router, type Response } from 'express';
import { z } from 'zod';
import { badRequest } from '../../errors.js';
import { TmxError } from '../../exchange/tmx.js';
import type { UploadedFile } from '../../middleware/multipart.js';
import { assertRole, canWorkOnPair, hasRole } from '../../policies/task-policy.js';
import {
  MAX_QUERY_LENGTH,
  deleteEntry,
  exportTmx,
  importTmx,
  listEntries,
  updateEntry,
} from '../../workflow/tm/tm-entries.js';
import type { WebContext } from '../../web-context.js';
import { deskT, flash, renderDeskPage } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';
import { pairToCurate } from './resource-pair.js';

const PAGE = 50;
const ListQuery = z.object({
  q: z.string().trim().max(MAX_QUERY_LENGTH).optional(),
  offset: z.coerce.number().int().min(0).default(0),
});
const EntryForm = z.object({
  action: z.enum(['save', 'delete']),
  target: z.string().max(10_000).optional(),
  note: z.string().max(2_000).optional(),
});

/** The pairs whose resources a reviewer or admin curates. */
export function curatedPairs(ctx: WebContext, res: Response): string[] {
  const user = currentDeskUser(res)!;
  if (!hasRole(user, 'reviewer')) return [];
  return Object.entries(ctx.config.pivots)
    .map(([to, from]) => `${from}:${to}`)
    .filter((p) => canWorkOnPair(user, p));
}

/** The TM screen per pair: browse, search, edit, delete; TMX import and export. */
export function tmDeskRoutes(ctx: WebContext): Router {
  const router = Router();
  const curator = pairToCurate(ctx.config);
  const back = (pair: string, q?: string) =>
    `/desk/tm/${encodeURIComponent(pair)}${q ? `?q=${encodeURIComponent(q)}` : ''}`;

  router.get('/resources', (req, res) => {
    assertRole(currentDeskUser(res)!, 'reviewer');
    const t = deskT(ctx, req);
    renderDeskPage(ctx, req, res, 'resources', {
      title: t('resources:index.title'),
      pairs: curatedPairs(ctx, res).map((pair) => ({ pair, encoded: encodeURIComponent(pair) })),
    });
  });

  router.get('/tm/:pair', async (req, res) => {
    const pair = curator(req, res);
    const q = ListQuery.safeParse(req.query);
    const { q: phrase, offset } = q.success ? q.data : { q: undefined, offset: 0 };
    const { total, entries } = await listEntries(pair, { q: phrase, offset, limit: PAGE });
    const t = deskT(ctx, req);
    renderDeskPage(ctx, req, res, 'tm', {
      title: t('resources:tm.title', { pair }),
      pair,
      from: pair.split(':')[0],
      to: pair.split(':')[1],
      encodedPair: encodeURIComponent(pair),
      q: phrase ?? '',
      total,
      entries: entries.map((e) => ({
        id: e._id,
        encodedId: encodeURIComponent(e._id),
        source: e.source,
        target: e.target,
        note: e.note ?? '',
        originLabel: t(`resources:origin.${e.origin}`),
        story: e.storyRef,
        file: e.file,
        createdAt: e.createdAt,
        createdBy: e.createdBy,
        at: e.at,
        by: e.by,
      })),
      next:
        offset + PAGE < total
          ? `${back(pair, phrase)}${phrase ? '&' : '?'}offset=${offset + PAGE}`
          : undefined,
      report: req.session?.tmReport,
    });
    if (req.session?.tmReport) delete req.session.tmReport;
  });

  router.post('/tm/:pair/entries/:id', async (req, res) => {
    const pair = curator(req, res);
    const user = currentDeskUser(res)!;
    const form = EntryForm.safeParse(req.body);
    if (!form.success) throw badRequest('invalid_form', 'Choose save or delete');
    const t = deskT(ctx, req);
    const id = String(req.params.id);
    if (form.data.action === 'delete') {
      await deleteEntry(ctx, user, pair, id);
      flash(req, 'ok', t('resources:tm.deleted'));
    } else {
      await updateEntry(ctx, user, pair, id, { target: form.data.target, note: form.data.note });
      flash(req, 'ok', t('resources:tm.saved'));
    }
    res.redirect(303, back(pair, typeof req.query.q === 'string' ? req.query.q : undefined));
  });

  router.get('/tm/:pair/export', async (req, res) => {
    const pair = curator(req, res);
    res
      .type('application/x-tmx+xml')
      .set('Content-Disposition', `attachment; filename="tm-${pair.replace(':', '-')}.tmx"`)
      .set('Cache-Control', 'no-store')
      .send(await exportTmx(pair));
  });

  router.post('/tm/:pair/import', async (req, res) => {
    const pair = curator(req, res);
    const t = deskT(ctx, req);
    const file = (req.body as Record<string, unknown>).file as UploadedFile | undefined;
    if (!file?.text) {
      flash(req, 'error', t('resources:tm.noFile'));
      res.redirect(303, back(pair));
      return;
    }
    try {
      const report = await importTmx(ctx, currentDeskUser(res)!, pair, file.text, file.filename);
      flash(req, 'ok', t('resources:tm.imported', { count: report.added, file: file.filename }));
      req.session.tmReport = report.skipped.slice(0, 50);
    } catch (err) {
      if (!(err instanceof TmxError)) throw err;
      flash(req, 'error', t('resources:tm.invalid', { file: file.filename, reason: err.message }));
    }
    res.redirect(303, back(pair));
  });

  return router;
}
