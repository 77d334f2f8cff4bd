import { importStories } from '../../src/commands/import-stories.js';
import { writeRelease } from '../../src/commands/write-release.js';
import type { ImportStory } from '../../src/import/parse-import-file.js';
import { storyIdForExternal } from '../../src/models/ids.js';
import { Release, type ReleaseDoc } from '../../src/models/release.js';
import { buildImportStory } from '../support/factories.js';
import type { TestRuntime } from '../support/test-runtime.js';

/** Imports stories the way an import file would (read model and search index synced). */
export async function importFixture(rt: TestRuntime, stories: ImportStory[]) {
  const summary = await importStories(rt.ctx, stories);
  if (summary.rejected.length) throw new Error(JSON.stringify(summary.rejected));
  return stories.map((s) => storyIdForExternal(s.externalId));
}

/** A story with a Russian original and, optionally, more versions; returns its id and slugs. */
export async function importStory(rt: TestRuntime, overrides: Partial<ImportStory> = {}) {
  const story = buildImportStory(overrides);
  const [storyId] = await importFixture(rt, [story]);
  const slugs: Record<string, string> = {};
  for (const lang of Object.keys(story.versions)) {
    const r = await Release.findById(`${storyId}.${lang}`).lean<ReleaseDoc>();
    slugs[lang] = r!.slug;
  }
  return { storyId, story, slugs };
}

/** Changes a release through the one write path and waits until the outbox relay has applied it. */
export async function updateRelease(
  rt: TestRuntime,
  releaseId: string,
  change: Partial<Pick<ReleaseDoc, 'title' | 'lead' | 'body' | 'slug' | 'outdated' | 'status'>>,
) {
  const r = await Release.findById(releaseId).lean<ReleaseDoc>();
  await writeRelease({
    storyId: r!.story,
    lang: r!.lang,
    title: change.title ?? r!.title,
    lead: change.lead ?? r!.lead,
    body: change.body ?? r!.body,
    slug: change.slug,
    status: change.status ?? r!.status,
    outdated: change.outdated,
    section: r!.section,
    tags: r!.tags,
    translatedFrom: r!.translatedFrom ?? undefined,
  });
  await rt.relay.drain();
}
