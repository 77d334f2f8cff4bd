import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTask } from '../../src/commands/claim-task.js';
import { returnExpiredLeases } from '../../src/commands/expire-leases.js';
import { giveBackTask } from '../../src/commands/give-back-task.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { submitTask } from '../../src/commands/submit-task.js';
import { writeRelease } from '../../src/commands/write-release.js';
import { newStoryId } from '../../src/models/ids.js';
import type { TaskDoc } from '../../src/models/translation-task.js';
import { isExactMatch, prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { renewLease } from '../../src/workflow/task-lease.js';
import { findTask } from '../../src/workflow/task-store.js';
import { addToMemory } from '../../src/workflow/translation-memory.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const MINSK = 'Заседание пройдёт в Минске 27 июня 2019 года.';
const MOSCOW = 'Заседание пройдёт в Москве 27 июня 2019 года.';

async function storyInto(to: string, body: string, title = 'Заседание комитета') {
  const storyId = newStoryId();
  await writeRelease({ storyId, lang: 'ru', title, body, status: 'published', section: 'news', tags: [] });
  const outcome = await prepareTranslationTask(rt.ctx, { storyId, from: 'ru', to });
  if (!('task' in outcome)) throw new Error(outcome.status);
  return { storyId, task: outcome.task };
}

const err = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e);

describe('pre-translation', () => {
  it('pre-fills only a 100 % match, as pre-translated; a 97 % match stays a suggestion beside an empty target', async () => {
    await addToMemory(rt.ctx, 'ru:kk', [
      { source: 'Заседание комитета', target: 'Комитет отырысы' },
      { source: MINSK, target: 'Отырыс 2019 жылғы 27 маусымда Минскіде өтеді.' },
    ]);
    const { task } = await storyInto('kk', `<p>${MOSCOW}</p>`);
    const [title, body] = task.segments;
    expect(title).toMatchObject({ target: 'Комитет отырысы', origin: 'tm_exact', status: 'pretranslated' });
    expect(body.suggestions[0].score).toBeLessThan(1);
    expect(body.suggestions[0].score).toBeGreaterThan(0.9);
    expect(body.suggestions[0].source).toBe(MINSK);
    expect(body.suggestions[0].at).toBeTruthy();
    // The fuzzy match is never in the target, in any form.
    expect(body).toMatchObject({ target: '', status: 'empty', origin: 'none' });
    for (const s of task.segments) {
      if (s.target) expect(s.suggestions.some((g) => g.score === 1 && g.target === s.target)).toBe(true);
    }
  });

  it('does not take a score-1 match whose inline codes differ for a 100 % match', () => {
    expect(isExactMatch({ source: 'Саммит {1}ОДКБ{/1}', score: 1 }, 'Саммит {1}ОДКБ{/1}')).toBe(true);
    expect(isExactMatch({ source: 'Саммит ОДКБ', score: 1 }, 'Саммит {1}ОДКБ{/1}')).toBe(false);
    expect(isExactMatch({ source: 'Саммит {1}ОДКБ{/1}', score: 0.98 }, 'Саммит {1}ОДКБ{/1}')).toBe(false);
  });
});

describe('segment states', () => {
  it('submits only when every segment is confirmed; confirming a TM text keeps its origin', async () => {
    await addToMemory(rt.ctx, 'ru:ky', [{ source: 'Заседание комитета', target: 'Комитеттин жыйыны' }]);
    await storyInto('ky', `<p>${MOSCOW}</p>`);
    const { actor } = await buildUser(['translator'], ['ru:ky']);
    let task = (await claimTask(rt.ctx, actor, 'ru:ky'))!;
    task = await saveTaskSegments(rt.ctx, actor, task._id, {
      baseRevision: task.revision,
      segments: [{ i: 1, target: 'Жыйын 2019-жылдын 27-июнунда Москвада өтөт.' }],
    });
    expect(task.segments.map((s) => s.status)).toEqual(['pretranslated', 'edited']);
    const refused = await err(submitTask(rt.ctx, actor, task._id));
    expect(refused).toMatchObject({
      status: 422,
      code: 'unconfirmed_segments',
      details: { segments: [0, 1] },
    });

    task = await saveTaskSegments(rt.ctx, actor, task._id, {
      baseRevision: task.revision,
      segments: [
        { i: 0, target: 'Комитеттин жыйыны', confirmed: true },
        { i: 1, target: 'Жыйын 2019-жылдын 27-июнунда Москвада өтөт.', confirmed: true },
      ],
    });
    expect(task.segments.map((s) => [s.status, s.origin])).toEqual([
      ['confirmed', 'tm_exact'],
      ['confirmed', 'translator'],
    ]);
    expect((await submitTask(rt.ctx, actor, task._id)).state).toBe('submitted');
  });
});

describe('leases that protect work', () => {
  it('saves after the lease ran out while nobody else claimed: re-claimed for the same translator', async () => {
    const { task: open } = await storyInto('be', `<p>${MOSCOW}</p>`);
    const { actor } = await buildUser(['translator'], ['ru:be']);
    const t0 = new Date();
    const claimed = (await claimTask(rt.ctx, actor, 'ru:be', t0))!;
    expect(claimed._id).toBe(open._id);
    const later = new Date(t0.getTime() + (rt.ctx.config.TASK_LEASE_MINUTES + 1) * 60_000);
    expect(await returnExpiredLeases(rt.ctx, 'ru:be', later)).toBe(1); // the sweeper returned it
    expect((await findTask(open._id))!.state).toBe('open');

    // The page's save is based on the claim's revision: 409 with the re-claimed task, then the retry saves.
    const first = (await err(
      saveTaskSegments(
        rt.ctx,
        actor,
        open._id,
        { baseRevision: claimed.revision, segments: [{ i: 0, target: 'Пасяджэнне камітэта' }] },
        later,
      ),
    )) as { code: string; details: { task: TaskDoc } };
    expect(first.code).toBe('stale_revision');
    const reclaimed = first.details.task;
    expect(reclaimed).toMatchObject({ state: 'in_progress', assignee: actor.id });
    expect(reclaimed.segments[0].target).toBe(claimed.segments[0].target); // nobody touched it
    const saved = await saveTaskSegments(
      rt.ctx,
      actor,
      open._id,
      { baseRevision: reclaimed.revision, segments: [{ i: 0, target: 'Пасяджэнне камітэта' }] },
      later,
    );
    expect(saved.segments[0].target).toBe('Пасяджэнне камітэта');
    expect(new Date(saved.leaseExpiresAt!).getTime()).toBeGreaterThan(later.getTime());
  });

  it('an expired lease still held (the sweeper did not run yet) saves directly', async () => {
    await storyInto('hy', `<p>${MOSCOW}</p>`);
    const { actor } = await buildUser(['translator'], ['ru:hy']);
    const t0 = new Date();
    const claimed = (await claimTask(rt.ctx, actor, 'ru:hy', t0))!;
    const later = new Date(t0.getTime() + (rt.ctx.config.TASK_LEASE_MINUTES + 5) * 60_000);
    const saved = await saveTaskSegments(
      rt.ctx,
      actor,
      claimed._id,
      { baseRevision: claimed.revision, segments: [{ i: 0, target: 'Կոմիտեի նիստ' }] },
      later,
    );
    expect(saved).toMatchObject({ state: 'in_progress', assignee: actor.id });
  });

  it('renews the lease on a heartbeat and refuses one on a stale revision', async () => {
    await storyInto('tg', `<p>${MOSCOW}</p>`);
    const { actor } = await buildUser(['translator'], ['ru:tg']);
    const t0 = new Date();
    const claimed = (await claimTask(rt.ctx, actor, 'ru:tg', t0))!;
    const t1 = new Date(t0.getTime() + 10 * 60_000);
    const renewed = await renewLease(rt.ctx, actor, claimed._id, claimed.revision, t1);
    expect(new Date(renewed.leaseExpiresAt!).getTime()).toBe(
      t1.getTime() + rt.ctx.config.TASK_LEASE_MINUTES * 60_000,
    );
    expect(await err(renewLease(rt.ctx, actor, claimed._id, claimed.revision, t1))).toMatchObject({
      code: 'stale_revision',
    });
  });

  it('gives a task back with its saved work for the next translator', async () => {
    const { task: open } = await storyInto('en', `<p>${MOSCOW}</p>`);
    const a = await buildUser(['translator'], ['ru:en']);
    const b = await buildUser(['translator'], ['ru:en']);
    let task = (await claimTask(rt.ctx, a.actor, 'ru:en'))!;
    expect(task._id).toBe(open._id);
    task = await saveTaskSegments(rt.ctx, a.actor, task._id, {
      baseRevision: task.revision,
      segments: [{ i: 0, target: 'Committee meeting', confirmed: true }],
    });
    expect((await giveBackTask(rt.ctx, a.actor, task._id)).state).toBe('open');
    const next = (await claimTask(rt.ctx, b.actor, 'ru:en'))!;
    expect(next._id).toBe(open._id);
    expect(next.segments[0]).toMatchObject({ target: 'Committee meeting', status: 'confirmed' });
  });
});

describe('source edited during translation', () => {
  it('keeps the task with its translator, carries unchanged segments and flags the changed one', async () => {
    const first = 'Первое предложение не меняется.';
    const { storyId, task: open } = await storyInto('en', `<p>${first} ${MINSK}</p>`, 'Саммит');
    const { actor } = await buildUser(['translator'], ['ru:en']);
    let task = (await claimTask(rt.ctx, actor, 'ru:en'))!;
    expect(task._id).toBe(open._id);
    task = await saveTaskSegments(rt.ctx, actor, task._id, {
      baseRevision: task.revision,
      segments: [
        { i: 0, target: 'Summit', confirmed: true },
        { i: 1, target: 'The first sentence does not change.' },
        { i: 2, target: 'The meeting will take place in Minsk on 27 June 2019.' },
      ],
    });
    await writeRelease({
      storyId,
      lang: 'ru',
      title: 'Саммит',
      body: `<p>${first} ${MOSCOW}</p>`,
      status: 'published',
      section: 'news',
      tags: [],
    });
    const outcome = await prepareTranslationTask(rt.ctx, { storyId, from: 'ru', to: 'en' });
    if (!('task' in outcome)) throw new Error(outcome.status);
    const next = outcome.task;
    expect(next._id).not.toBe(task._id);
    expect(next).toMatchObject({ state: 'in_progress', assignee: actor.id, translator: actor.id });
    expect(next.segments.map((s) => [s.target, s.status])).toEqual([
      ['Summit', 'confirmed'],
      ['The first sentence does not change.', 'edited'],
      ['', 'empty'],
    ]);
    expect(next.segments[2].changed).toEqual({
      oldSource: MINSK,
      oldTarget: 'The meeting will take place in Minsk on 27 June 2019.',
    });
    // The old page's next autosave is told where to go on.
    const moved = await err(
      saveTaskSegments(rt.ctx, actor, task._id, {
        baseRevision: task.revision,
        segments: [{ i: 1, target: 'x' }],
      }),
    );
    expect(moved).toMatchObject({ status: 409, code: 'task_superseded', details: { successor: next._id } });
  });
});

describe('review page', () => {
  it('marks segments that are TM texts confirmed unchanged, and counts them for the reviewer', async () => {
    const { presentTask } = await import('../../src/routes/desk/task-view.js');
    const { task } = await storyInto('en', '<p>Новое предложение без совпадений.</p>');
    const t = rt.web.i18n.getFixedT('en');
    const view = presentTask(
      {
        ...task,
        segments: task.segments.map((s, i) =>
          i === 0
            ? { ...s, target: 'Committee meeting', origin: 'tm_exact' as const, status: 'confirmed' as const }
            : s,
        ),
      },
      { id: 'r@example.org', email: 'r@example.org', name: 'R', roles: ['reviewer'], pairs: ['ru:en'] },
      t,
    );
    expect(view.fromMachine).toBe(1);
    expect(view.segments[0].fromMachine).toBe('100 % translation-memory match, unchanged');
    expect(view.segments[1].fromMachine).toBeUndefined();
  });
});
