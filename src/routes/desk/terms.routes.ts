import { Router } from 'express';
import { z } from 'zod';
import { TbxError, readTbx, writeTbx } from '../../exchange/tbx.js';
import type { UploadedFile } from '../../middleware/multipart.js';
import { PARTS_OF_SPEECH, TERM_STATUSES } from '../../models/glossary-term.js';
import { deleteTerm, loadTermbase, putTerm } from '../../workflow/glossary.js';
import type { WebContext } from '../../web-context.js';
import { deskT, flash, renderDeskPage } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';
import { pairToCurate } from './resource-pair.js';

const TermForm = z.object({
  source: z.string().trim().min(1).max(200),
  target: z.string().trim().max(200).optional(),
  status: z.enum(TERM_STATUSES),
  pos: z.union([z.enum(PARTS_OF_SPEECH), z.literal('')]).optional(),
  note: z.string().max(2_000).optional(),
});

/** The termbase screen per pair: list, add, delete; TBX import and export. */
export function termsDeskRoutes(ctx: WebContext): Router {
  const router = Router();
  const curator = pairToCurate(ctx.config);
  const back = (pair: string) => `/desk/terms/${encodeURIComponent(pair)}`;

  router.get('/terms/:pair', async (req, res) => {
    const pair = curator(req, res);
    const t = deskT(ctx, req);
    const terms = await loadTermbase(pair);
    renderDeskPage(ctx, req, res, 'terms', {
      title: t('resources:terms.title', { pair }),
      encodedPair: encodeURIComponent(pair),
      statuses: TERM_STATUSES.map((s) => ({ value: s, label: t(`resources:status.${s}`) })),
      parts: PARTS_OF_SPEECH.map((p) => ({ value: p, label: t(`resources:pos.${p}`) })),
      terms: terms.map((x) => ({
        ...x,
        encodedId: encodeURIComponent(x._id),
        statusLabel: t(`resources:status.${x.status}`),
        posLabel: x.pos ? t(`resources:pos.${x.pos}`) : '',
      })),
    });
  });

  router.post('/terms/:pair', async (req, res) => {
    const pair = curator(req, res);
    const t = deskT(ctx, req);
    const form = TermForm.safeParse(req.body);
    if (!form.success) {
      flash(req, 'error', t('resources:terms.invalid'));
    } else {
      const { pos, ...rest } = form.data;
      await putTerm(pair, { ...rest, ...(pos ? { pos } : {}) }, currentDeskUser(res)!.id);
      flash(req, 'ok', t('resources:terms.saved', { term: form.data.source }));
    }
    res.redirect(303, back(pair));
  });

  router.post('/terms/:pair/:id/delete', async (req, res) => {
    const pair = curator(req, res);
    await deleteTerm(currentDeskUser(res)!, pair, String(req.params.id));
    flash(req, 'ok', deskT(ctx, req)('resources:terms.deleted'));
    res.redirect(303, back(pair));
  });

  router.get('/terms/:pair/export', async (req, res) => {
    const pair = curator(req, res);
    const [from, to] = pair.split(':');
    res
      .type('application/x-tbx+xml')
      .set('Content-Disposition', `attachment; filename="terms-${from}-${to}.tbx"`)
      .set('Cache-Control', 'no-store')
      .send(writeTbx(await loadTermbase(pair), { from, to }));
  });

  router.post('/terms/:pair/import', async (req, res) => {
    const pair = curator(req, res);
    const t = deskT(ctx, req);
    const file = (req.body as Record<string, unknown>).file as UploadedFile | undefined;
    if (!file?.text) {
      flash(req, 'error', t('resources:tm.noFile'));
    } else {
      const [from, to] = pair.split(':');
      try {
        const read = readTbx(file.text, from, to);
        for (const term of read.terms) await putTerm(pair, term, currentDeskUser(res)!.id);
        flash(req, 'ok', t('resources:terms.imported', { count: read.terms.length, file: file.filename }));
      } catch (err) {
        if (!(err instanceof TbxError)) throw err;
        flash(req, 'error', t('resources:tm.invalid', { file: file.filename, reason: err.message }));
      }
    }
    res.redirect(303, back(pair));
  });

  return router;
}
