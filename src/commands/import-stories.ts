import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { ImportStory, Rejection } from '../import/parse-import-file.js';
import { mapLimit } from '../lib/map-limit.js';
import { storyIdForExternal } from '../models/ids.js';
import { Story, type StoryDoc } from '../models/story.js';
import { syncReleaseIndex } from '../read-models/release-index.js';
import { syncSearchIndex } from '../search/search-index.js';
import { writeRelease } from './write-release.js';

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
}

/**
 * Imports parsed stories: idempotent by externalId (the story id is derived from it), so a
 * second run of the same file changes nothing. Versions are written source first, so each
 * translation records the source revision it matches. Published releases go live in the
 * read model at the end; translation tasks are not requested for imported stories (their
 * translations come with the file; editors request the rest).
 */
export async function importStories(
  ctx: AppContext,
  stories: ImportStory[],
  onProgress: (done: number) => void = () => {},
): Promise<ImportSummary> {
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, rejected: [] };
  const touched: string[] = [];
  let done = 0;
  await mapLimit(stories, 8, async (story, index) => {
    try {
      const outcome = await importOne(story, touched);
      summary[outcome]++;
    } catch (err) {
      const reason = err instanceof AppError ? err.message : `could not be saved: ${(err as Error).message}`;
      summary.rejected.push({ index, externalId: story.externalId, reason });
    }
    onProgress(++done);
  });
  await mapLimit(touched, 16, (id) => syncReleaseIndex(ctx, id));
  await mapLimit(touched, 16, (id) => syncSearchIndex(ctx, id));
  if (touched.length) await ctx.pageCache.invalidateAll();
  return summary;
}

async function importOne(
  story: ImportStory,
  touched: string[],
): Promise<'created' | 'updated' | 'unchanged'> {
  const storyId = storyIdForExternal(story.externalId);
  const publishedAt = story.publishedAt ? new Date(story.publishedAt) : undefined;
  const existing = await Story.findById(storyId).lean<StoryDoc>();
  const fields = {
    externalId: story.externalId,
    section: story.section ?? 'news',
    tags: story.tags ?? [],
    sourceLang: story.sourceLang,
    firstPublishedAt: publishedAt,
    contact: story.contact,
  };
  let changed = false;
  if (!existing || !sameStory(existing, fields)) {
    await Story.replaceOne(
      { _id: storyId },
      {
        _id: storyId,
        ...fields,
        holdUntilLangs: existing?.holdUntilLangs ?? [],
        createdAt: existing?.createdAt,
      },
      { upsert: true, runValidators: true },
    );
    changed = true;
  }
  const langs = [story.sourceLang, ...Object.keys(story.versions).filter((l) => l !== story.sourceLang)];
  let sourceRevision: number | undefined;
  for (const lang of langs) {
    const v = story.versions[lang];
    const isSource = lang === story.sourceLang;
    const { release, changed: releaseChanged } = await writeRelease({
      storyId,
      lang,
      title: v.title,
      lead: v.lead,
      body: v.body,
      slug: v.slug,
      status: publishedAt ? 'published' : 'draft',
      publishedAt,
      section: fields.section,
      tags: fields.tags,
      translatedFrom: isSource ? undefined : story.sourceLang,
      sourceRevision: isSource ? undefined : sourceRevision,
      by: { userId: 'import', name: 'Import', role: 'import' },
      emit: false,
    });
    if (isSource) sourceRevision = release.revision;
    if (releaseChanged) {
      touched.push(release._id);
      changed = true;
    }
  }
  return !existing ? 'created' : changed ? 'updated' : 'unchanged';
}

function sameStory(
  a: StoryDoc,
  b: Omit<StoryDoc, '_id' | 'holdUntilLangs' | 'createdAt' | 'updatedAt'>,
): boolean {
  return (
    a.externalId === b.externalId &&
    a.section === b.section &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags) &&
    a.sourceLang === b.sourceLang &&
    a.firstPublishedAt?.getTime() === b.firstPublishedAt?.getTime() &&
    JSON.stringify(a.contact ?? {}) === JSON.stringify(b.contact ?? {})
  );
}
