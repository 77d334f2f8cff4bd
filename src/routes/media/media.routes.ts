import { Router } from 'express';
import { notFound } from '../../errors.js';
import { readBlob } from '../../media/blob-store.js';
import { RENDITION_FORMATS, type RenditionFormat } from '../../media/renditions.js';
import { findOrEncodeRendition } from '../../media/renditions-store.js';
import type { AppContext } from '../../context.js';

const FILE = new RegExp(`^([1-9][0-9]{1,4})\\.(${RENDITION_FORMATS.join('|')})$`);

/** A year, immutable: a rendition URL names its picture's bytes, its width and its format. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Renditions of pictures, public: `/media/<mediaId>/<width>.<avif|webp|jpg|png>`. Every lookup
 * is by `_id`; a rendition the worker has not made yet is encoded on demand (only the widths and
 * formats the picture is offered in). The ETag is the rendition's content hash, so a revalidation
 * is a 304. Originals are never served here.
 */
export function mediaRouter(ctx: AppContext): Router {
  const router = Router();
  const maxPixels = ctx.config.MEDIA_MAX_MEGAPIXELS * 1_000_000;
  router.get('/media/:id/:file', async (req, res) => {
    const id = String(req.params.id);
    const file = FILE.exec(String(req.params.file));
    if (!/^[0-9a-f]{32}$/.test(id) || !file) throw notFound('media_not_found', 'No such picture');
    const width = Number(file[1]);
    const format = file[2] as RenditionFormat;
    const rendition = await findOrEncodeRendition(id, width, format, maxPixels);
    if (rendition === null) throw notFound('media_not_found', 'No such picture');
    if (!rendition)
      throw notFound('media_rendition_unknown', `This picture is not offered at ${width} px as ${format}`);
    const etag = `"${rendition.blob}"`;
    res.setHeader('Cache-Control', IMMUTABLE);
    res.setHeader('ETag', etag);
    res.setHeader('Content-Type', rendition.contentType);
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      res.status(304).end();
      return;
    }
    const stored = await readBlob(rendition.blob);
    if (!stored) throw notFound('media_not_found', 'No such picture');
    res.setHeader('Content-Length', String(stored.bytes.length));
    res.end(req.method === 'HEAD' ? undefined : stored.bytes);
  });
  return router;
}
