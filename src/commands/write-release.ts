import { createHash } from 'node:crypto';
import { retryWhenBusy } from '../db/retry-when-busy.js';
import { AppError, conflict, isDuplicateKey } from '../errors.js';
import { releaseId, routeId } from '../models/ids.js';
import { Release, type ChangeKind, type ReleaseDoc, type ReleaseStatus } from '../models/release.js';
import { recordAudit } from '../audit/audit-log.js';
import { faultPoint } from '../lib/fault-point.js';
import { assertOriginalAllowsPublishing } from '../policies/publish-policy.js';
import { ReleaseRevision } from '../models/release-revision.js';
import { Route } from '../models/route.js';
import { emitEvent, wakeRelays } from '../outbox/outbox.js';
import { sanitizeReleaseHtml } from '../lib/sanitize-html.js';
import { leadInputOf, storedLead } from '../lib/lead-html.js';
import { slugFromTitle } from '../lib/slug.js';
import type { AppContext } from '../context.js';
import { applyReleaseChange } from '../read-models/apply-release-change.js';

export interface WriteReleaseInput {
  storyId: string;
  lang: string;
  title: string;
  /** The lead as plain text (escaped); ignored when `leadHtml` is given. */
  lead?: string;
  /** The lead as inline HTML (bold, italic, links), sanitised to that subset (`lib/lead-html.ts`). */
  leadHtml?: string;
  body: string;
  /** Explicit slug: must be free in this language. Absent: kept, or derived from the title. */
  slug?: string;
  status?: ReleaseStatus;
  publishedAt?: Date;
  section: string;
  tags: string[];
  translatedFrom?: string;
  sourceRevision?: number;
  outdated?: boolean;
  /** The revision the change was based on; a different current revision answers 409. */
  expectedRevision?: number;
  by?: { userId: string; name: string; role: string };
  /** Others involved in this change (e.g. the reviewer of a translation), recorded in `people`. */
  alsoBy?: { userId: string; name: string; role: string }[];
  note?: string;
  /**
   * The operation writing, as a deterministic id (e.g. `publish:<taskId>`). A rerun of the
   * same operation that finds its own revision entry with no document behind it (it died in
   * between) takes the entry over at once instead of waiting out the orphan window.
   */
  writer?: string;
  /**
   * How a content change to a published release is shown to readers (default: a visible
   * update); `note` is what readers see with a correction or update.
   */
  change?: { kind: ChangeKind; note?: string } | 'ask';
  /** With `status: 'withdrawn'`: why, by whom, and the language its URL should lead to. */
  withdrawal?: { note?: string; by?: string; redirectTo?: string };
  /** The lead picture with this language's alt text and caption; absent: kept; null: removed. */
  image?: ReleaseImage | null;
  /** false: record no outbox event (bulk import syncs the read model itself). */
  emit?: boolean;
}

export type ReleaseImage = NonNullable<ReleaseDoc['image']>;

export interface WriteReleaseResult {
  release: ReleaseDoc;
  changed: boolean;
  /** Title, lead or body changed (false when nothing was written). */
  contentChanged: boolean;
}

const hashContent = (parts: unknown[]) =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

/**
 * The hash of a text: title, plain lead and body, and the lead's markup only when it has
 * some — so every release stored before leads had markup keeps its hash.
 */
const hashText = (t: {
  title?: string | null;
  lead?: string | null;
  leadHtml?: string | null;
  body?: string | null;
}) => hashContent([t.title, t.lead ?? '', t.body, ...(t.leadHtml ? [t.leadHtml] : [])]);

/** The input that rewrites a release as it stands (to change only its status, time or people). */
export const inputFromRelease = (r: ReleaseDoc): WriteReleaseInput => ({
  storyId: r.story,
  lang: r.lang,
  title: r.title,
  ...leadInputOf(r),
  body: r.body,
  section: r.section,
  tags: r.tags ?? [],
});

/** The plain-text lead's limit (the model's); its markup may add to that. */
export const MAX_LEAD_CHARS = 2_000;

/** A planned change of one release: `build(slug, revision)` gives the document to store. */
export interface ReleasePlan {
  id: string;
  unchanged: boolean;
  contentChanged: boolean;
  /** The slug asked for (explicit), kept (existing) or derived from the title. */
  wantedSlug: string;
  build(slug: string, revision: number, now: Date): ReleaseDoc;
}

/**
 * Works out what a write would store, without touching the database: sanitises the body,
 * hashes the content and recognises a write that changes nothing. Shared by `writeRelease`
 * and the bulk path of the import.
 */
export function planRelease(input: WriteReleaseInput, existing: ReleaseDoc | null): ReleasePlan {
  const id = releaseId(input.storyId, input.lang);
  const body = sanitizeReleaseHtml(input.body);
  if (!body) throw new AppError(422, 'empty_body', 'The body is empty after removing unsafe HTML');
  const title = input.title.trim();
  const { lead, leadHtml } = storedLead(input);
  if (lead.length > MAX_LEAD_CHARS) {
    throw new AppError(
      422,
      'lead_too_long',
      `The lead has ${lead.length} characters; at most ${MAX_LEAD_CHARS}`,
    );
  }
  const status = input.status ?? existing?.status ?? 'draft';
  const publishedAt =
    status === 'published' ? (input.publishedAt ?? existing?.publishedAt ?? new Date()) : input.publishedAt;
  const contentHash = hashText({ title, lead, leadHtml, body });
  const outdated = input.outdated ?? existing?.outdated ?? false;
  // Not part of the content hash: a new picture or caption is no reason to call translations outdated.
  const given = input.image === undefined ? existing?.image : input.image;
  const image: ReleaseImage | undefined = given
    ? {
        media: given.media,
        width: given.width,
        height: given.height,
        hasAlpha: !!given.hasAlpha,
        alt: (given.alt ?? '').trim(),
        caption: (given.caption ?? '').trim(),
        credit: (given.credit ?? '').trim(),
      }
    : undefined;
  const stateHash = hashContent([
    contentHash,
    input.slug ?? null,
    status,
    publishedAt?.toISOString(),
    input.section,
    input.tags,
    input.translatedFrom,
    input.sourceRevision,
    outdated,
    status === 'withdrawn' ? (input.withdrawal ?? existing?.withdrawal ?? null) : null,
    ...(image ? [Object.values(image)] : []),
  ]);
  const shownChange =
    existing?.status === 'published' && status === 'published' && existing.contentHash !== contentHash
      ? changeKindOf(input.change)
      : undefined;
  const changeNote = typeof input.change === 'object' ? input.change.note?.trim() || undefined : undefined;
  return {
    id,
    unchanged: !!existing && stateHash === existing.stateHash,
    contentChanged: !existing || existing.contentHash !== contentHash,
    wantedSlug: input.slug ?? existing?.slug ?? slugFromTitle(title),
    build: (slug, revision, now) =>
      ({
        _id: id,
        story: input.storyId,
        lang: input.lang,
        slug,
        title,
        lead,
        leadHtml,
        body,
        status,
        outdated,
        revision,
        translatedFrom: input.translatedFrom ?? existing?.translatedFrom,
        sourceRevision: input.sourceRevision ?? existing?.sourceRevision,
        section: input.section,
        tags: input.tags,
        publishedAt,
        scheduledAt: status === 'scheduled' ? input.publishedAt : undefined,
        correctedAt: shownChange === 'correction' ? now : (existing?.correctedAt ?? undefined),
        updateNotedAt: shownChange === 'update' ? now : (existing?.updateNotedAt ?? undefined),
        changeNotes: [
          ...(existing?.changeNotes ?? []),
          ...(shownChange === 'correction' || shownChange === 'update'
            ? [{ kind: shownChange, at: now, note: changeNote }]
            : []),
        ].slice(-20),
        withdrawal:
          status === 'withdrawn'
            ? existing?.status === 'withdrawn' && !input.withdrawal
              ? existing.withdrawal
              : { at: now, ...input.withdrawal }
            : undefined,
        people: [
          ...(existing?.people ?? []),
          ...[input.by, ...(input.alsoBy ?? [])]
            .filter((p) => p !== undefined)
            .map((p) => ({ ...p, at: now })),
        ].slice(-50),
        image,
        slugHistory:
          existing && existing.slug !== slug
            ? [...new Set([...(existing.slugHistory ?? []), existing.slug])]
            : (existing?.slugHistory ?? []),
        contentHash,
        stateHash,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      }) as ReleaseDoc,
  };
}

/** The revision-log entry that records (and, by its unique `_id`, serialises) a change. */
export const revisionEntry = (
  doc: ReleaseDoc,
  input: Pick<WriteReleaseInput, 'by' | 'note' | 'writer' | 'change'>,
  existing?: ReleaseDoc | null,
) => ({
  _id: `${doc._id}:${doc.revision}`,
  release: doc._id,
  revision: doc.revision,
  title: doc.title,
  lead: doc.lead,
  leadHtml: doc.leadHtml,
  body: doc.body,
  status: doc.status,
  by: input.by?.userId,
  note:
    [input.note, typeof input.change === 'object' ? input.change.note : undefined]
      .filter(Boolean)
      .join(' — ') || undefined,
  writer: input.writer,
  // The time of the change itself: a rerun derives the change's audit entry from it.
  at: doc.updatedAt,
  change:
    existing?.status === 'published' && doc.status === 'published' && existing.contentHash !== doc.contentHash
      ? changeKindOf(input.change)
      : undefined,
});

/** The change kind asked for; 'ask' (a person's edit) must have been answered before. */
function changeKindOf(change: WriteReleaseInput['change']): ChangeKind {
  if (change === 'ask') {
    throw new AppError(
      422,
      'change_kind_required',
      'This version is published: say whether the change is a correction or an update',
    );
  }
  return change?.kind ?? 'update';
}

/**
 * Creates or changes one language version of a story. The compare-and-set is the insert of
 * the next revision into the revision log (atomic on MongoDB and the embedded store alike);
 * the release document is then written by its `_id`, and a `release.changed` event recorded
 * in the outbox, so read models, caches and translation fan-out follow even if Redis is down.
 * Given the process context, it also applies the change to read models and cached pages in
 * every process before returning (read-your-writes); the relay repeats that harmlessly.
 */
export async function writeRelease(input: WriteReleaseInput, ctx?: AppContext): Promise<WriteReleaseResult> {
  const id = releaseId(input.storyId, input.lang);
  const existing = await Release.findById(id).lean<ReleaseDoc>();
  if (input.expectedRevision !== undefined && (existing?.revision ?? 0) !== input.expectedRevision) {
    throw conflict(
      'revision_conflict',
      `Release ${id} is at revision ${existing?.revision ?? 0}, not ${input.expectedRevision}; reload and reapply your change`,
      { currentRevision: existing?.revision ?? 0 },
    );
  }
  const plan = planRelease(input, existing);
  if (existing && plan.unchanged) {
    // Already written (a retry, a rerun after a crash between the write and the event):
    // record the event and audit entry again, or they would never happen. Their ids dedupe.
    await finishReleaseWrite(existing, { actor: input.by?.userId, note: input.note }, input.emit !== false);
    return { release: existing, changed: false, contentChanged: false };
  }
  if ((input.status ?? existing?.status) === 'published' && existing?.status !== 'published') {
    await assertOriginalAllowsPublishing(input.storyId, input.lang);
  }

  const { slug, claimed } = await claimSlug(input, plan.wantedSlug, id);
  // A route this write claimed but whose release never got written would dangle: undo it.
  const releaseRoute = () =>
    claimed ? Route.deleteOne({ _id: routeId(input.lang, slug) }).catch(() => undefined) : undefined;
  const doc = plan.build(slug, (existing?.revision ?? 0) + 1, new Date());
  try {
    await appendRevision(doc, input, existing);
  } catch (err) {
    await releaseRoute();
    throw err;
  }
  try {
    if (existing) await retryWhenBusy(() => Release.replaceOne({ _id: id }, doc, { runValidators: true }));
    else await retryWhenBusy(() => Release.create(doc));
  } catch (err) {
    // Undo the revision claim, or every later write would collide with it.
    await ReleaseRevision.deleteOne({ _id: `${id}:${doc.revision}` }).catch(() => undefined);
    await releaseRoute();
    if (isDuplicateKey(err)) {
      throw conflict(
        existing ? 'slug_taken' : 'revision_conflict',
        existing
          ? `The slug '${slug}' is already used in '${input.lang}'`
          : `Release ${id} was created by someone else meanwhile; reload and reapply`,
      );
    }
    throw err;
  }
  faultPoint('release.written');
  // With a context the change is applied here first and the relay woken after, for a repeat.
  if (input.emit !== false) {
    await emitReleaseChanged(doc, plan.contentChanged, {
      wasPublished: existing?.status === 'published',
      wake: !ctx,
    });
  }
  await auditStatusChange(doc, existing?.status ?? null, { actor: input.by?.userId, note: input.note });
  if (ctx) {
    // The outbox already holds the change: if this fails, the relay applies it a little later.
    await applyReleaseChange(ctx, id).catch((err) =>
      ctx.log.warn({ err, release: id }, 'could not apply a release change at once; the relay will'),
    );
    if (input.emit !== false) wakeRelays();
  }
  return { release: doc, changed: true, contentChanged: plan.contentChanged };
}

/** Who made a change, for its audit entry. */
interface ChangeAuthor {
  actor?: string;
  note?: string;
}

/**
 * The audit entry of a status change — published, withdrawn — keyed by the release and the
 * revision that made it, at the revision's own time: a rerun of the write records it once.
 * `before` is the status at the previous revision (null: there was none).
 */
async function auditStatusChange(doc: ReleaseDoc, before: string | null, by: ChangeAuthor) {
  const action =
    doc.status === 'published' && before !== 'published'
      ? 'release.publish'
      : doc.status === 'withdrawn' && before !== 'withdrawn'
        ? 'release.withdraw'
        : undefined;
  if (!action) return;
  const redirect = doc.withdrawal?.redirectTo;
  await recordAudit(undefined, {
    action,
    actor: by.actor ?? 'system',
    target: doc._id,
    detail: action === 'release.publish' ? by.note : redirect ? `301 to ${redirect}` : '410',
    effect: { key: `${action}:${doc._id}:${doc.revision}`, at: doc.updatedAt },
  });
}

/**
 * What follows the document of a release's current revision, for a write found already done
 * (a rerun after a crash between the document and the rest): its `release.changed` event
 * (unless `emit` is false) and the audit entry of its status change, both deduplicated by id.
 */
export async function finishReleaseWrite(existing: ReleaseDoc, by: ChangeAuthor, emit = true) {
  const [entry, before] = await Promise.all([
    ReleaseRevision.findById(`${existing._id}:${existing.revision}`).lean(),
    existing.revision > 1
      ? ReleaseRevision.findById(`${existing._id}:${existing.revision - 1}`).lean()
      : null,
  ]);
  if (emit) {
    const contentChanged =
      !before || hashContent([before.title, before.lead ?? '', before.body]) !== existing.contentHash;
    // The previous status from the log; unknown when its entry is missing.
    const wasPublished = existing.revision === 1 ? false : before ? before.status === 'published' : undefined;
    await emitReleaseChanged(existing, contentChanged, { wasPublished });
  }
  // Without the log entries the change's time or the earlier status is unknown: nothing to add.
  if (!entry?.at || (existing.revision > 1 && !before)) return;
  await auditStatusChange({ ...existing, updatedAt: entry.at }, before?.status ?? null, by);
}

/**
 * The deterministic `release.changed` event of a release's current revision; a writer that
 * defers it (`emit: false`, the import once all versions of a story are written) records it
 * with this.
 */
export const emitReleaseChanged = (
  r: ReleaseDoc,
  contentChanged: boolean,
  { wasPublished, wake }: { wasPublished?: boolean; wake?: boolean } = {},
) =>
  emitEvent(
    `release.changed:${r._id}:${r.revision}`,
    'release.changed',
    {
      releaseId: r._id,
      storyId: r.story,
      lang: r.lang,
      revision: r.revision,
      contentChanged,
      ...(wasPublished === undefined ? {} : { wasPublished }),
    },
    { wake },
  );

/** The content hash of one revision of a release, from the revision log (null: no entry). */
export async function revisionContentHash(releaseId: string, revision: number): Promise<string | null> {
  const entry = await ReleaseRevision.findById(`${releaseId}:${revision}`).lean();
  return entry ? hashText(entry) : null;
}

/** Whether the release's current revision changed its text (from the revision log). */
export async function contentChangedAt(r: ReleaseDoc): Promise<boolean> {
  if (r.revision <= 1) return true;
  const before = await ReleaseRevision.findById(`${r._id}:${r.revision - 1}`).lean();
  if (!before) return true;
  return hashText(before) !== r.contentHash;
}

/**
 * A revision entry left by a writer that died before writing its document is cleared by
 * another writer after this long (the writer itself, rerun, takes it over at once).
 */
export const ORPHAN_REVISION_MS = 60_000;

async function appendRevision(doc: ReleaseDoc, input: WriteReleaseInput, existing: ReleaseDoc | null) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await retryWhenBusy(() => ReleaseRevision.create(revisionEntry(doc, input, existing)));
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const entry = await ReleaseRevision.findById(`${doc._id}:${doc.revision}`).lean();
      const documentMissing = (existing?.revision ?? 0) === doc.revision - 1;
      if (entry && documentMissing && input.writer && entry.writer === input.writer) {
        // Our own half-written change (same deterministic operation): finish it.
        await retryWhenBusy(() =>
          ReleaseRevision.replaceOne({ _id: entry._id }, revisionEntry(doc, input, existing)),
        );
        return;
      }
      const orphan =
        attempt === 0 &&
        entry &&
        Date.now() - new Date(entry.at ?? 0).getTime() > ORPHAN_REVISION_MS &&
        (existing?.revision ?? 0) === doc.revision - 1;
      if (!orphan) {
        throw conflict(
          'revision_conflict',
          `Release ${doc._id} was changed by someone else meanwhile; reload and reapply`,
        );
      }
      await ReleaseRevision.deleteOne({ _id: entry._id });
    }
  }
}

/**
 * Reserves the slug as a route `<lang>/<slug>` (an insert: the loser of a race gets E11000).
 * An explicit slug must be free; a derived one gets `-2`, `-3`… until one is.
 */
async function claimSlug(
  input: WriteReleaseInput,
  wanted: string,
  id: string,
): Promise<{ slug: string; claimed: boolean }> {
  for (let n = 1; n < 1000; n++) {
    const slug = n === 1 ? wanted : `${wanted}-${n}`;
    const owner = await Route.findById(routeId(input.lang, slug)).lean();
    if (owner) {
      if (owner.release === id) return { slug, claimed: false };
    } else {
      try {
        await Route.create({
          _id: routeId(input.lang, slug),
          release: id,
          story: input.storyId,
          lang: input.lang,
        });
        return { slug, claimed: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const winner = await Route.findById(routeId(input.lang, slug)).lean();
        if (winner?.release === id) return { slug, claimed: false };
      }
    }
    if (input.slug) {
      throw conflict(
        'slug_taken',
        `The slug '${slug}' is already used by another release in '${input.lang}'`,
      );
    }
  }
  throw conflict('slug_taken', `No free slug for '${wanted}' in '${input.lang}'`);
}
