import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { ReleaseImage } from '../commands/write-release.js';
import { insertOnce } from '../media/blob-store.js';
import { Media, MediaSource, type MediaDoc, type MediaSourceDoc } from '../models/media.js';
import type { Actor } from '../policies/actor.js';
import { presentPicture } from '../media/picture.js';
import { releaseImageOf } from '../media/set-lead-image.js';
import { mediaLimits, uploadMedia } from '../media/upload-media.js';
import { pictureSources, replacePictures, type StoredPicture } from './body-pictures.js';
import type { ImportStory } from './parse-import-file.js';
import { isPictureUrl, isSitePath, readPictureSource, type PictureSourceOptions } from './picture-source.js';

/** Pictures stored by an import are uploads by the importer, through the desk's own command. */
const IMPORT_ACTOR: Actor = { id: 'import', name: 'Import', roles: ['editor'], pairs: [] };

/** A picture of a record that was not stored, and why (`code` is stable). */
export interface PictureRefusal {
  src: string;
  role: 'lead' | 'inline';
  code: string;
  reason: string;
}

/** What a record's pictures became: per language, its lead picture and its rewritten body. */
export interface StoryPictures {
  /** Absent for a language: the record gives no lead picture, or it was refused (kept as stored). */
  images: Map<string, ReleaseImage>;
  /** Absent for a language: the body has no picture to import (used as the record gives it). */
  bodies: Map<string, string>;
  refused: PictureRefusal[];
}

type Outcome = { media: MediaDoc } | { error: AppError };

/** Distinct sources remembered per run (a picture shared by many stories is read once). */
const MEMO_SIZE = 2_000;

/**
 * One picture source stored by `uploadMedia`; a URL already downloaded by an earlier import is
 * answered with the item it became, without downloading it again.
 */
async function storePicture(ctx: AppContext, src: string, opts: PictureSourceOptions): Promise<MediaDoc> {
  const downloaded = isPictureUrl(src) ? createHash('sha256').update(src).digest('hex') : undefined;
  if (downloaded) {
    const known = await MediaSource.findById(downloaded).lean<MediaSourceDoc>();
    const media = known && (await Media.findById(known.media).lean<MediaDoc>());
    if (media) return media;
  }
  const { media } = await uploadMedia(ctx, IMPORT_ACTOR, await readPictureSource(src, opts));
  if (downloaded) await insertOnce(() => MediaSource.create({ _id: downloaded, url: src, media: media._id }));
  return media;
}

/**
 * Stores the pictures of import records: each source (URL or file next to the import file) is
 * read, checked and stored by `uploadMedia`, the desk's own command (same refusals, the same
 * content-addressed media item for the same bytes, the same `media.uploaded` reaction that has
 * the worker encode renditions), once per run; a URL stored by an earlier run is not
 * downloaded again (`MediaSource`). A refused picture is reported and left out: the
 * lead picture stays as stored, an inline `<img>` is removed from the body (its caption stays).
 */
export function pictureImporter(ctx: AppContext, options: Omit<PictureSourceOptions, 'maxBytes'>) {
  const opts: PictureSourceOptions = { ...options, maxBytes: mediaLimits(ctx).maxBytes };
  let memo = new Map<string, Promise<Outcome>>();
  const store = (src: string): Promise<Outcome> => {
    let outcome = memo.get(src);
    if (!outcome) {
      outcome = storePicture(ctx, src, opts).then(
        (media) => ({ media }),
        (err: unknown) => ({
          error:
            err instanceof AppError
              ? err
              : new AppError(422, 'picture_failed', `could not be stored: ${(err as Error).message}`),
        }),
      );
      if (memo.size >= MEMO_SIZE) memo = new Map();
      memo.set(src, outcome);
    }
    return outcome;
  };

  return async function importPictures(story: ImportStory): Promise<StoryPictures> {
    const result: StoryPictures = { images: new Map(), bodies: new Map(), refused: [] };
    const refuse = (src: string, role: PictureRefusal['role'], error: AppError) => {
      if (!result.refused.some((r) => r.src === src && r.role === role))
        result.refused.push({ src, role, code: error.code, reason: error.message });
    };
    const lead = story.leadPicture;
    if (lead) {
      const outcome = await store(lead.src);
      if ('error' in outcome) refuse(lead.src, 'lead', outcome.error);
      else
        for (const lang of Object.keys(story.versions))
          result.images.set(
            lang,
            releaseImageOf(outcome.media, {
              alt: lead.alt[lang],
              caption: lead.caption?.[lang],
              credit: lead.credit,
            }),
          );
    }
    for (const [lang, version] of Object.entries(story.versions)) {
      const sources = [...new Set(pictureSources(version.body))].filter((src) => !isSitePath(src));
      if (sources.length === 0) continue;
      const stored = new Map<string, StoredPicture>();
      for (const src of sources) {
        const outcome = await store(src);
        if ('error' in outcome) {
          refuse(src, 'inline', outcome.error);
          stored.set(src, null);
        } else {
          const m = outcome.media;
          const view = presentPicture({
            media: m._id,
            width: m.width,
            height: m.height,
            hasAlpha: m.hasAlpha,
          });
          stored.set(src, { src: view.src, width: m.width, height: m.height });
        }
      }
      result.bodies.set(lang, replacePictures(version.body, stored));
    }
    return result;
  };
}
export type ImportPictures = ReturnType<typeof pictureImporter>;
