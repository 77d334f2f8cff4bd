import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import { AppError, isDuplicateKey } from '../errors.js';
import { touchFeeds } from '../feeds/feed-changes.js';
import type { ImportItem, ImportStory, Rejection } from '../import/parse-import-file.js';
import {
  pictureImporter,
  type ImportPictures,
  type PictureRefusal,
  type StoryPictures,
} from '../import/import-pictures.js';
import { mapLimit } from '../lib/map-limit.js';
import { releaseId, routeId, storyIdForExternal } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { ReleaseRevision } from '../models/release-revision.js';
import { Route } from '../models/route.js';
import { Story, type StoryDoc } from '../models/story.js';
import { relatedNeighbours } from '../read-models/related.js';
import { syncReleaseIndex, toCard } from '../read-models/release-index.js';
import { syncSearchIndex } from '../search/search-index.js';
import { surrogate, surrogatesOfChange } from '../cache/surrogate-keys.js';
import { renderPagesJob } from '../cache/render-pages.job.js';
import { jobQueues } from '../workflow/queues.js';
import { requestScheduledPublish } from './schedule-release.js';
import {
  contentChangedAt,
  emitReleaseChanged,
  planRelease,
  revisionEntry,
  writeRelease,
  type WriteReleaseInput,
} from './write-release.js';

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  /** Unchanged stories whose read model was missing (a run killed before it synced them). */
  reindexed: number;
  rejected: Rejection[];
  /** Pictures left out (the story was imported without them), with the record they belong to. */
  pictures: (PictureRefusal & { index: number; externalId: string })[];
}

export interface ImportOptions {
  /** The import file's directory, which picture paths are relative to (none: paths are refused). */
  baseDir?: string;
}

type Item = ImportItem;

const BATCH = 250;
const IMPORTER = { userId: 'import', name: 'Import', role: 'import' };
/** Bump when the same record would import differently (sanitiser, fields): reruns redo all. */
const IMPORT_HASH_VERSION = 1;

/** What a record says, hashed: a rerun skips a story whose stored hash is the same. */
const importHash = (story: ImportStory) =>
  createHash('sha256')
    .update(`${IMPORT_HASH_VERSION}\n${JSON.stringify(story)}`)
    .digest('hex')
    .slice(0, 32);

/**
 * Imports parsed stories (an array; `positions` gives each one's index in the file). See
 * `importStream`.
 */
export function importStories(
  ctx: AppContext,
  stories: ImportStory[],
  onProgress: (done: number, summary: ImportSummary) => void = () => {},
  positions?: number[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return importStream(
    ctx,
    stories.map((story, i) => ({ story, index: positions?.[i] ?? i })),
    onProgress,
    options,
  );
}

/**
 * Imports stories from an iterable (a file streamed record by record), in batches of 250, so
 * memory stays bounded whatever the file's size. Idempotent by externalId (the story id is
 * derived from it): a story whose record has the hash stored at its last import is skipped
 * without reading its versions (nor the story itself, when Redis mirrors that hash), so a
 * rerun of the same file changes nothing and goes fast.
 * Stories new to the database are inserted in bulk (a batch of route inserts claims their
 * slugs: a collision sends that story down the careful path); stories that exist, or whose
 * slug collided, go through `writeRelease` one by one. Versions are written source first, so
 * a translation records the source revision it matches. Each batch's read model, search
 * index, feeds and pages follow while the next batch is written (one batch of each at a time);
 * a story written one by one has its hash stored only after that, and a rerun re-indexes an unchanged story whose read model is missing, so a run
 * killed at any point and run again leaves everything listed and searchable. New stories
 * request no translation tasks (their translations come with the file); a changed story is a
 * source change like an edit (see `importOne`).
 */
export async function importStream(
  ctx: AppContext,
  items: Iterable<Item> | AsyncIterable<Item>,
  onProgress: (done: number, summary: ImportSummary) => void = () => {},
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    created: 0,
    updated: 0,
    unchanged: 0,
    reindexed: 0,
    rejected: [],
    pictures: [],
  };
  const pictures = pictureImporter(ctx, {
    baseDir: options.baseDir,
    timeoutMs: ctx.config.IMPORT_FETCH_TIMEOUT_MS,
    allowPrivate: ctx.config.IMPORT_FETCH_ALLOW_PRIVATE,
  });
  let done = 0;
  let batch: Item[] = [];
  // A batch's indexing (CPU in this process) runs while the next batch is written (mostly
  // waiting on the store), so both processes work at once; never more than one of each.
  let indexing: Promise<void> = Promise.resolve();
  const next = async (items: Item[]) => {
    const written = await writeBatch(ctx, items, summary, pictures);
    // The counts as of this batch: the next one's writing moves them on before this is indexed.
    const counts = { ...summary };
    await indexing;
    indexing = indexBatch(ctx, written).then(() => {
      done += items.length;
      onProgress(done, counts);
    });
    // Awaited before the next batch or the end; this only keeps it from counting as unhandled.
    indexing.catch(() => {});
  };
  for await (const item of items) {
    batch.push(item);
    if (batch.length < BATCH) continue;
    await next(batch);
    batch = [];
  }
  if (batch.length) await next(batch);
  await indexing;
  summary.rejected.sort((a, b) => a.index - b.index);
  summary.pictures.sort((a, b) => a.index - b.index);
  return summary;
}

/** What a batch wrote, for `indexBatch` to finish. */
interface WrittenBatch {
  /** The versions whose read model, search index and pages follow. */
  touched: ReleaseDoc[];
  /** Stories written one by one, each done once indexed: then its import hash is stored. */
  done: Item[];
  doneHash: (item: Item) => string | undefined;
}

/** Writes a batch's new and changed stories to MongoDB (see `importStream`). */
async function writeBatch(
  ctx: AppContext,
  batch: Item[],
  summary: ImportSummary,
  importPictures: ImportPictures,
): Promise<WrittenBatch> {
  const touched: ReleaseDoc[] = [];
  const reject = (item: Item, err: unknown) => {
    const reason = err instanceof AppError ? err.message : `could not be saved: ${(err as Error).message}`;
    summary.rejected.push({ index: item.index, externalId: item.story.externalId, reason });
  };
  // Keyed by the record (an item is copied on its way through the batch).
  const hashes = new Map(batch.map((item) => [item.story, importHash(item.story)]));
  // A record whose hash the mirror holds is skipped without reading its story (see
  // `mirrorHashes`); the others are read from MongoDB, which decides.
  const mirrored = await ctx.redis.hmget(
    ctx.keys.importHashes(),
    ...batch.map((item) => storyIdForExternal(item.story.externalId)),
  );
  const skipped = batch.filter((item, i) => mirrored[i] === hashes.get(item.story));
  const unread = batch.filter((item, i) => mirrored[i] !== hashes.get(item.story));
  const existing = await mapLimit(unread, 16, (item) =>
    Story.findById(storyIdForExternal(item.story.externalId)).lean<StoryDoc>(),
  );
  const fresh: Item[] = [];
  const careful: (Item & { existing?: StoryDoc | null })[] = [];
  const confirmed: Item[] = [];
  unread.forEach((item, i) => {
    if (!existing[i]) fresh.push(item);
    else if (existing[i].importHash === hashes.get(item.story)) confirmed.push(item);
    else careful.push({ ...item, existing: existing[i] });
  });
  // Unchanged but not mirrored (a Redis that was flushed): mirrored now, for the next rerun.
  await mirrorHashes(ctx, confirmed, (item) => hashes.get(item.story));
  skipped.push(...confirmed);
  summary.unchanged += skipped.length;
  const pictures = await storePictures([...fresh, ...careful], importPictures, summary);
  // A story with a picture left out is not done: a rerun tries the picture again.
  const doneHash = (item: Item) =>
    pictures.get(item.story)?.refused.length ? undefined : hashes.get(item.story);
  const missing = await missingFromReadModel(ctx, skipped);
  summary.reindexed += missing.length;
  touched.push(...missing);

  const bulk = await insertFresh(fresh, doneHash, pictures, reject);
  await mirrorHashes(ctx, bulk.done, doneHash);
  summary.created += bulk.stories;
  touched.push(...bulk.inserted);
  careful.push(...bulk.retry);
  const done: Item[] = [];
  await mapLimit(careful, 16, async (item) => {
    try {
      const outcome = await importOne(
        ctx,
        item.story,
        item.existing ?? null,
        touched,
        pictures.get(item.story),
      );
      summary[outcome]++;
      done.push(item);
    } catch (err) {
      reject(item, err);
    }
  });

  return { touched, done, doneHash };
}

/**
 * Brings a written batch's read model, search index, feeds and pages up to date, then stores
 * the import hash of the stories written one by one: only now is such a story done for a
 * rerun to skip.
 */
async function indexBatch(ctx: AppContext, { touched, done, doneHash }: WrittenBatch): Promise<void> {
  const toggled = new Set<string>();
  await mapLimit(touched, 16, async (release) => {
    if ((await syncReleaseIndex(ctx, release._id, release)).languageToggled) toggled.add(release.lang);
    await syncSearchIndex(ctx, release._id, release);
  });
  for (const lang of new Set(touched.map((r) => r.lang))) await touchFeeds(ctx, lang);
  if (touched.length) await ctx.pageCache.invalidate(await importSurrogates(ctx, touched, toggled));
  await enqueueRendering(ctx, touched);
  const hashed = done.filter((item) => doneHash(item));
  // The mirror never holds a hash MongoDB no longer has: out first, back once stored.
  await unmirrorHashes(ctx, hashed);
  await mapLimit(hashed, 16, (item) =>
    Story.updateOne(
      { _id: storyIdForExternal(item.story.externalId) },
      { $set: { importHash: doneHash(item) } },
    ),
  );
  await mirrorHashes(ctx, hashed, doneHash);
}

/**
 * Copies stories' import hashes, once MongoDB has them, into Redis (`keys.importHashes`), one
 * round trip a batch. It holds a hash only while MongoDB holds the same (written after it,
 * taken out before it changes), so a rerun may trust a match without a read by `_id` per
 * story, the rerun's main cost on the embedded store. A missing entry is read from MongoDB;
 * `reindex` drops them all.
 */
async function mirrorHashes(
  ctx: AppContext,
  items: Item[],
  hashOf: (item: Item) => string | undefined,
): Promise<void> {
  const entries = items.flatMap((item) => {
    const hash = hashOf(item);
    return hash ? [storyIdForExternal(item.story.externalId), hash] : [];
  });
  if (entries.length) await ctx.redis.hset(ctx.keys.importHashes(), ...entries);
}

async function unmirrorHashes(ctx: AppContext, items: Item[]): Promise<void> {
  if (items.length)
    await ctx.redis.hdel(
      ctx.keys.importHashes(),
      ...items.map((i) => storyIdForExternal(i.story.externalId)),
    );
}

/**
 * Stores the pictures of the batch's new and changed records (a few at a time: most are
 * downloads) before any of their versions is written, so a version is written once, with
 * its pictures; refused ones go to the summary.
 */
async function storePictures(
  items: Item[],
  importPictures: ImportPictures,
  summary: ImportSummary,
): Promise<Map<ImportStory, StoryPictures>> {
  const found = new Map<ImportStory, StoryPictures>();
  await mapLimit(items, 4, async (item) => {
    const pictures = await importPictures(item.story);
    found.set(item.story, pictures);
    for (const r of pictures.refused)
      summary.pictures.push({ index: item.index, externalId: item.story.externalId, ...r });
  });
  return found;
}

/**
 * The published versions of skipped (unchanged) stories that the read model or the search
 * index lacks: a run killed between writing a batch and syncing it left them so.
 */
async function missingFromReadModel(ctx: AppContext, items: Item[]): Promise<ReleaseDoc[]> {
  const now = Date.now();
  const ids = items
    // A release still to come is in no read model until the scheduler publishes it.
    .filter((item) => item.story.publishedAt && new Date(item.story.publishedAt).getTime() <= now)
    .flatMap((item) =>
      languagesOf(item.story).map((l) => releaseId(storyIdForExternal(item.story.externalId), l)),
    );
  if (ids.length === 0) return [];
  const multi = ctx.redis.multi();
  for (const id of ids) {
    multi.exists(ctx.keys.releases.card(id));
    multi.exists(ctx.keys.search.document(id));
  }
  const answers = (await multi.exec()) ?? [];
  const lacking = ids.filter((_, i) => answers[2 * i]?.[1] !== 1 || answers[2 * i + 1]?.[1] !== 1);
  const docs = await mapLimit(lacking, 16, (id) => Release.findById(id).lean<ReleaseDoc>());
  return docs.filter((r): r is ReleaseDoc => r?.status === 'published');
}

/**
 * The cached pages an import changed: each touched story's, and the lists, sections, search
 * and sitemap of each touched language (and the pages naming languages, for a language that
 * got its first release) (stories changed through `writeRelease` are also
 * applied one by one by the relay). Other stories' pages stay cached.
 */
async function importSurrogates(
  ctx: AppContext,
  touched: ReleaseDoc[],
  toggled: Set<string>,
): Promise<string[]> {
  const timeZone = ctx.config.NEWSROOM_TIMEZONE;
  const tags = new Set<string>();
  for (const r of touched) {
    // A scheduled or draft version shows nowhere yet: it drops nothing.
    const change = {
      storyId: r.story,
      lang: r.lang,
      after: r.status === 'published' ? r : undefined,
      newSection: true,
      timeZone,
    };
    for (const t of surrogatesOfChange({ ...change, languageToggled: toggled.has(r.lang) })) tags.add(t);
  }
  // Later articles whose related stories may now include an imported (back-dated) one.
  const published = touched.filter((r) => r.status === 'published' && r.publishedAt).map(toCard);
  for (const storyId of await relatedNeighbours(ctx, published)) tags.add(surrogate.story(storyId));
  return [...tags];
}

/** Has the worker render the imported stories' pages, in batches (see renderPagesJob). */
async function enqueueRendering(ctx: AppContext, touched: ReleaseDoc[]): Promise<void> {
  const published = touched.filter((r) => r.status === 'published');
  const stories = [...new Set(published.map((r) => r.story))];
  const langs = [...new Set(published.map((r) => r.lang))];
  const run = Date.now().toString(36);
  for (let i = 0; i < stories.length; i += 200) {
    await jobQueues(ctx).enqueue(
      renderPagesJob,
      { storyIds: stories.slice(i, i + 200), langs: i === 0 ? langs : [] },
      { jobId: `pages.import.${run}.${i / 200}` },
    );
  }
}

/** The story document an import record describes. */
function storyFields(story: ImportStory) {
  return {
    externalId: story.externalId,
    section: story.section ?? 'news',
    tags: story.tags ?? [],
    sourceLang: story.sourceLang,
    firstPublishedAt: story.publishedAt ? new Date(story.publishedAt) : undefined,
    contact: story.contact,
    imported: true,
  };
}

/** Version languages, source first. */
const languagesOf = (story: ImportStory) => [
  story.sourceLang,
  ...Object.keys(story.versions).filter((l) => l !== story.sourceLang),
];

function releaseInput(
  story: ImportStory,
  storyId: string,
  lang: string,
  sourceRevision?: number,
  pictures?: StoryPictures,
): WriteReleaseInput {
  const v = story.versions[lang];
  const fields = storyFields(story);
  const isSource = lang === story.sourceLang;
  const at = fields.firstPublishedAt;
  return {
    storyId,
    lang,
    title: v.title,
    lead: v.lead,
    leadHtml: v.leadHtml,
    body: pictures?.bodies.get(lang) ?? v.body,
    // Absent (none in the record, or refused): the lead picture stays as stored.
    image: pictures?.images.get(lang),
    slug: v.slug,
    // A time still to come is a scheduled release, published by the scheduler at that time.
    status: !at ? 'draft' : at.getTime() > Date.now() ? 'scheduled' : 'published',
    publishedAt: at,
    section: fields.section,
    tags: fields.tags,
    translatedFrom: isSource ? undefined : story.sourceLang,
    sourceRevision: isSource ? undefined : sourceRevision,
    by: IMPORTER,
    emit: false,
  };
}

/**
 * Inserts stories the database does not have yet, in bulk. Returns the release documents
 * inserted and the items to retry one by one (a slug already taken, or a batch failure).
 */
async function insertFresh(
  items: Item[],
  doneHash: (item: Item) => string | undefined,
  pictures: Map<ImportStory, StoryPictures>,
  reject: (item: Item, err: unknown) => void,
): Promise<{ stories: number; inserted: ReleaseDoc[]; retry: Item[]; done: Item[] }> {
  const now = new Date();
  const planned: { item: Item; storyId: string; releases: ReleaseDoc[] }[] = [];
  const retry: Item[] = [];
  const slugsInBatch = new Set<string>();
  for (const item of items) {
    const storyId = storyIdForExternal(item.story.externalId);
    try {
      const releases = languagesOf(item.story).map((lang) => {
        const plan = planRelease(releaseInput(item.story, storyId, lang, 1, pictures.get(item.story)), null);
        return plan.build(plan.wantedSlug, 1, now);
      });
      const routes = releases.map((r) => routeId(r.lang, r.slug));
      if (routes.some((r) => slugsInBatch.has(r))) retry.push(item);
      else {
        routes.forEach((r) => slugsInBatch.add(r));
        planned.push({ item, storyId, releases });
      }
    } catch (err) {
      reject(item, err);
    }
  }
  if (planned.length === 0) return { stories: 0, inserted: [], retry, done: [] };

  // Claim every slug at once; a story with any slug already taken goes the careful way.
  const routes = planned.flatMap((p) =>
    p.releases.map((r) => ({ _id: routeId(r.lang, r.slug), release: r._id, story: p.storyId, lang: r.lang })),
  );
  const failedRoutes = new Set<number>();
  try {
    await Route.collection.insertMany(routes as never[], { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { index: number; code?: number }[] }).writeErrors;
    if (!writeErrors || !writeErrors.every((e) => e.code === 11000)) throw err;
    for (const e of writeErrors) failedRoutes.add(e.index);
  }
  const clean: typeof planned = [];
  let offset = 0;
  for (const p of planned) {
    const taken = p.releases.some((_, i) => failedRoutes.has(offset + i));
    offset += p.releases.length;
    if (taken) retry.push(p.item);
    else clean.push(p);
  }
  if (clean.length === 0) return { stories: 0, inserted: [], retry, done: [] };

  try {
    // Releases and their revisions first, the story last with its import hash: a story that
    // exists has all its versions, so a rerun may skip it (only re-indexing, if need be).
    const releases = clean.flatMap((p) => p.releases);
    await Release.insertMany(releases.map(defined), { ordered: true, lean: true });
    await ReleaseRevision.insertMany(
      releases.map((r) => revisionEntry(r, { by: IMPORTER })),
      { ordered: true },
    );
    await Story.insertMany(
      clean.map((p) =>
        defined({
          _id: p.storyId,
          ...storyFields(p.item.story),
          holdUntilLangs: [],
          importHash: doneHash(p.item),
        }),
      ),
      { ordered: true, lean: true },
    );
    for (const r of releases) await requestScheduledPublish(r);
    return { stories: clean.length, inserted: releases, retry, done: clean.map((p) => p.item) };
  } catch (err) {
    // Another writer got in between (or a document failed validation): redo this batch one
    // story at a time; `writeRelease` recognises whatever part was already stored.
    if (!isDuplicateKey(err) && !(err as Error).name?.includes('Validation')) throw err;
    return { stories: 0, inserted: [], retry: [...retry, ...clean.map((p) => p.item)], done: [] };
  }
}

/**
 * Imports one story through `writeRelease` (for stories that exist, or whose slug collided).
 * A correction of a story that exists is a source change like any other: once all its
 * versions are written, each changed version's `release.changed` is recorded, so the one
 * reaction (`src/workflow/source-change.ts`) marks translations outdated and opens their tasks.
 * A translation the file carries unchanged keeps the source revision it was made from; only a
 * new or changed one counts as a translation of the source in the same file.
 */
async function importOne(
  ctx: AppContext,
  story: ImportStory,
  existing: StoryDoc | null,
  touched: ReleaseDoc[],
  pictures?: StoryPictures,
): Promise<'created' | 'updated' | 'unchanged'> {
  const storyId = storyIdForExternal(story.externalId);
  const fields = storyFields(story);
  let changed = false;
  if (!existing) {
    await Story.create({ _id: storyId, ...fields, holdUntilLangs: [] });
  } else if (!sameStory(existing, fields)) {
    await Story.replaceOne({ _id: storyId }, { ...existing, ...fields }, { runValidators: true });
    changed = true;
  }
  let sourceRevision: number | undefined;
  const written: { release: ReleaseDoc; contentChanged: boolean }[] = [];
  for (const lang of languagesOf(story)) {
    const input = releaseInput(story, storyId, lang, sourceRevision, pictures);
    const current = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
    if (current?.status === 'published' && input.status === 'scheduled') {
      // Already out: a later time in the file does not take it off the site again.
      input.status = 'published';
      input.publishedAt = current.publishedAt ?? undefined;
    }
    if (lang !== story.sourceLang) {
      if (current && !planRelease(input, current).contentChanged)
        input.sourceRevision = current.sourceRevision ?? undefined;
      else input.outdated = false;
    }
    const result = await writeRelease(input);
    await requestScheduledPublish(result.release);
    if (lang === story.sourceLang) sourceRevision = result.release.revision;
    if (result.changed) {
      touched.push(result.release);
      written.push(result);
      changed = true;
    } else if (await lagsInReadModel(ctx, result.release)) {
      // Written by a run that was killed before it synced and announced it: finish that.
      touched.push(result.release);
      if (result.release.revision > 1) {
        written.push({ release: result.release, contentChanged: await contentChangedAt(result.release) });
      }
    }
  }
  if (existing) {
    for (const w of written) await emitReleaseChanged(w.release, w.contentChanged);
  }
  return !existing ? 'created' : changed ? 'updated' : 'unchanged';
}

/** The read model has not seen this revision of the release (its last sync was older). */
async function lagsInReadModel(ctx: AppContext, release: ReleaseDoc): Promise<boolean> {
  const known = await ctx.redis.hget(ctx.keys.releases.revisions(), release._id);
  return known === null || Number(known) < release.revision;
}

/** Drops undefined fields, which a lean insert would otherwise store as null. */
const defined = <T extends object>(doc: T): T =>
  Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined)) as T;

function sameStory(a: StoryDoc, b: ReturnType<typeof storyFields>): boolean {
  return (
    a.externalId === b.externalId &&
    a.section === b.section &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags) &&
    a.sourceLang === b.sourceLang &&
    a.firstPublishedAt?.getTime() === b.firstPublishedAt?.getTime() &&
    JSON.stringify(a.contact ?? {}) === JSON.stringify(b.contact ?? {})
  );
}
