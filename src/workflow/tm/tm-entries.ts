import type { AppContext } from '../../context.js';
import { badRequest, notFound } from '../../errors.js';
import { releaseId } from '../../models/ids.js';
import { Release } from '../../models/release.js';
import { TmEntry, type TmEntryDoc } from '../../models/tm-entry.js';
import type { Actor } from '../../policies/actor.js';
import { readTmx, writeTmx, type TmxReadResult } from '../../exchange/tmx.js';
import { stem } from '../../language/index.js';
import { addToMemory, indexedOf } from '../translation-memory.js';
import { indexEntry, unindexEntry } from './tm-index.js';

/**
 * The TM screen's and the exchange's operations on one pair's entries: browse and search,
 * concordance, edit, delete, TMX import and export. Routes authorise (reviewers and admins
 * of the pair; concordance also translators) before calling these.
 */

export interface StoryRef {
  id: string;
  title?: string;
}

export interface ConcordanceHit {
  id: string;
  source: string;
  target: string;
  origin: TmEntryDoc['origin'];
  story?: StoryRef;
  at: Date;
  by: string;
}

export const MAX_QUERY_LENGTH = 200;

const wordsOf = (lang: string, text: string) =>
  (text.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => stem(lang, w));

/**
 * Whether `text` contains the phrase: as a case-insensitive substring, or word by word with
 * each word stemmed (so «организация» finds «Организации»).
 */
function contains(lang: string, text: string, phrase: string, phraseStems: string[]): boolean {
  if (text.toLowerCase().includes(phrase.toLowerCase())) return true;
  if (phraseStems.length === 0) return false;
  const stems = wordsOf(lang, text);
  for (let i = 0; i + phraseStems.length <= stems.length; i++) {
    if (phraseStems.every((s, k) => stems[i + k] === s)) return true;
  }
  return false;
}

const livePair = (pair: string) => ({ pair, deletedAt: { $exists: false } });

async function storyRefs(entries: TmEntryDoc[], lang: string): Promise<Map<string, StoryRef>> {
  const ids = [...new Set(entries.map((e) => e.story).filter((s): s is string => !!s))];
  const refs = await Promise.all(
    ids.map(async (id) => {
      const r = await Release.findById(releaseId(id, lang), { title: 1 }).lean<{ title?: string }>();
      return [id, { id, ...(r?.title ? { title: r.title } : {}) }] as const;
    }),
  );
  return new Map(refs);
}

/**
 * Concordance: entries of the pair whose source (or target) contains a word or phrase, with
 * the stories they came from, newest first. Scans the pair's entries (it is a search a
 * person types, not a per-segment lookup).
 */
export async function concordance(
  pair: string,
  query: string,
  opts: { in?: 'source' | 'target' | 'both'; limit?: number } = {},
): Promise<ConcordanceHit[]> {
  const phrase = query.replace(/\s+/g, ' ').trim();
  if (!phrase) return [];
  const [from, to] = pair.split(':');
  const where = opts.in ?? 'both';
  const limit = opts.limit ?? 50;
  const sourceStems = wordsOf(from, phrase);
  const targetStems = wordsOf(to, phrase);
  const hits: TmEntryDoc[] = [];
  for await (const e of TmEntry.find(livePair(pair)).lean<TmEntryDoc>().cursor()) {
    if (
      (where !== 'target' && contains(from, e.source, phrase, sourceStems)) ||
      (where !== 'source' && contains(to, e.target, phrase, targetStems))
    ) {
      hits.push(e);
    }
  }
  hits.sort((a, b) => +new Date(b.at) - +new Date(a.at));
  const shown = hits.slice(0, limit);
  const stories = await storyRefs(shown, from);
  return shown.map((e) => ({
    id: e._id,
    source: e.source,
    target: e.target,
    origin: e.origin,
    ...(e.story ? { story: stories.get(e.story) } : {}),
    at: e.at,
    by: e.by,
  }));
}

/** The TM screen's listing: newest first, optionally filtered by a phrase, paged by offset. */
export async function listEntries(pair: string, opts: { q?: string; offset?: number; limit?: number } = {}) {
  const limit = opts.limit ?? 50;
  const offset = opts.offset ?? 0;
  const [from, to] = pair.split(':');
  const phrase = opts.q?.replace(/\s+/g, ' ').trim() ?? '';
  const all = await TmEntry.find(livePair(pair)).lean<TmEntryDoc[]>();
  const matching = phrase
    ? all.filter(
        (e) =>
          contains(from, e.source, phrase, wordsOf(from, phrase)) ||
          contains(to, e.target, phrase, wordsOf(to, phrase)),
      )
    : all;
  matching.sort((a, b) => +new Date(b.at) - +new Date(a.at));
  const page = matching.slice(offset, offset + limit);
  const stories = await storyRefs(page, from);
  return {
    total: matching.length,
    entries: page.map((e) => ({ ...e, storyRef: e.story ? stories.get(e.story) : undefined })),
  };
}

async function requireEntry(pair: string, id: string): Promise<TmEntryDoc> {
  const e = await TmEntry.findById(id).lean<TmEntryDoc>();
  if (!e || e.pair !== pair || e.deletedAt) throw notFound('tm_entry_not_found', `No entry ${id} in ${pair}`);
  return e;
}

/** Edits an entry's target or note; records who and when. */
export async function updateEntry(
  ctx: AppContext,
  actor: Actor,
  pair: string,
  id: string,
  change: { target?: string; note?: string },
): Promise<TmEntryDoc> {
  const e = await requireEntry(pair, id);
  const target = change.target?.trim() ?? e.target;
  if (!target) throw badRequest('tm_target_empty', 'The translation of an entry cannot be empty');
  const note = change.note === undefined ? e.note : change.note.trim() || undefined;
  const doc: TmEntryDoc = { ...e, target, at: new Date(), by: actor.id, origin: 'edit' };
  if (note) doc.note = note;
  else delete doc.note;
  await TmEntry.replaceOne({ _id: id }, doc);
  await indexEntry(ctx, pair, indexedOf(doc));
  return doc;
}

/** Deletes an entry from matching and export; the record stays with who deleted it and when. */
export async function deleteEntry(ctx: AppContext, actor: Actor, pair: string, id: string): Promise<void> {
  const e = await requireEntry(pair, id);
  await TmEntry.replaceOne({ _id: id }, { ...e, deletedAt: new Date(), deletedBy: actor.id });
  await unindexEntry(ctx, pair, e.source);
}

export async function exportTmx(pair: string): Promise<string> {
  const [from, to] = pair.split(':');
  const entries = await TmEntry.find(livePair(pair)).lean<TmEntryDoc[]>();
  entries.sort((a, b) => a._id.localeCompare(b._id));
  return writeTmx(entries, { from, to });
}

export interface TmxImportReport {
  added: number;
  skipped: TmxReadResult['skipped'];
}

/** Imports a TMX file's units for the pair (TmxError for a file that is not TMX). */
export async function importTmx(
  ctx: AppContext,
  actor: Actor,
  pair: string,
  text: string,
  file = 'upload.tmx',
): Promise<TmxImportReport> {
  const [from, to] = pair.split(':');
  const read = readTmx(text, from, to);
  const added = await addToMemory(
    ctx,
    pair,
    read.units.map((u) => ({ source: u.source, target: u.target, tags: u.tags, note: u.note })),
    undefined,
    { origin: 'tmx', by: actor.id, file },
  );
  return { added, skipped: read.skipped };
}
