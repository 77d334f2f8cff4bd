import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTask } from '../../src/commands/claim-task.js';
import { createStory } from '../../src/commands/create-story.js';
import { publishTranslation } from '../../src/commands/publish-translation.js';
import { reviewTask } from '../../src/commands/review-task.js';
import { Release } from '../../src/models/release.js';
import { ReleaseRevision } from '../../src/models/release-revision.js';
import { TaskEvent } from '../../src/models/task-event.js';
import { TaskPointer, openPointerId } from '../../src/models/task-pointer.js';
import type { Actor } from '../../src/policies/actor.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { queueMember } from '../../src/workflow/ready-queue.js';
import { reconcileWorkflow } from '../../src/workflow/rebuild-state.js';
import { findTask, requireAnyTask } from '../../src/workflow/task-store.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { awaitOpenTask, buildUser, eventually, translateNext, workersFor } from './support.js';

const LANGS = ['ru', 'en'];
let rt: TestRuntime;
const workers: Worker[] = [];
let editor: Actor;
let translator: Actor;
let reviewer: Actor;

const startWorkersFor = (...queues: string[]) => workers.push(...workersFor(rt.ctx, queues));

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: LANGS.join(',') });
  startWorkersFor('translation');
  editor = (await buildUser(['editor'], [], LANGS)).actor;
  translator = (await buildUser(['translator'], ['ru:en'], LANGS)).actor;
  reviewer = (await buildUser(['reviewer'], ['ru:en'], LANGS)).actor;
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await rt?.close();
});

/** A published Russian story whose English task is open; returns the story and task ids. */
async function openTask(title: string) {
  const { storyId } = await createStory(rt.ctx, editor, {
    title,
    body: `<p>${title}: первое предложение.</p>`,
    publish: true,
  });
  return { storyId, taskId: (await awaitOpenTask(storyId, 'en'))._id };
}

/** Claims, translates and submits the pair's next task. */
const submitNext = async () => (await translateNext(rt.ctx, translator, 'ru:en'))._id;

const publishQueue = () => jobQueues(rt.ctx).queue('publish');
const reviewQueue = () => jobQueues(rt.ctx).queue('review');

describe('a publish that died half-way, and reconciliation', () => {
  it('reruns a publish that left its revision without a release: it finishes its own change at once', async () => {
    const { storyId, taskId } = await openTask('Заседание совета');
    expect(await submitNext()).toBe(taskId);
    startWorkersFor('review');
    await eventually(async () => (await findTask(taskId))?.state === 'in_review', 60_000);
    await reviewTask(rt.ctx, reviewer, taskId, { decision: 'approve' });

    // What a store crash between the revision insert and the release write leaves: the
    // publish job's revision entry, written just now, and no English release.
    await ReleaseRevision.create({
      _id: `${storyId}.en:1`,
      release: `${storyId}.en`,
      revision: 1,
      status: 'published',
      writer: `publish:${taskId}`,
    });
    expect(await Release.findById(`${storyId}.en`).lean()).toBeNull();

    // The job's next attempt, well inside the orphan window.
    expect(await publishTranslation(rt.ctx, taskId)).toBe('published');
    const en = await Release.findById(`${storyId}.en`).lean();
    expect(en).toMatchObject({ status: 'published', revision: 1 });
    expect((await requireAnyTask(taskId)).state).toBe('published');
  });

  it('reruns a publish that died between the archive event and the archived task: one "published" event', async () => {
    const { taskId } = await openTask('Итоги переговоров');
    await submitNext();
    await eventually(async () => (await findTask(taskId))?.state === 'in_review', 60_000);
    await reviewTask(rt.ctx, reviewer, taskId, { decision: 'approve' });
    const approved = (await findTask(taskId))!;
    // The archive's event, written just now by the crashed run; the task is still approved.
    await TaskEvent.create({
      _id: `${taskId}:${approved.revision + 1}`,
      task: taskId,
      revision: approved.revision + 1,
      type: 'published',
      by: 'system',
      from: 'approved',
      to: 'published',
    });

    // Well inside the orphan window: it finishes its own change rather than answering 409.
    expect(await publishTranslation(rt.ctx, taskId)).toBe('published');
    expect((await requireAnyTask(taskId)).state).toBe('published');
    expect(await findTask(taskId)).toBeNull();
    expect(await TaskEvent.countDocuments({ task: taskId, type: 'published' })).toBe(1);
  });

  it('reruns a publish that died after archiving its task: the last steps are done, the day counted once', async () => {
    const { storyId, taskId } = await openTask('Открытие выставки');
    await submitNext();
    // The review worker of the first test runs QA.
    await eventually(async () => (await findTask(taskId))?.state === 'in_review', 60_000);
    await reviewTask(rt.ctx, reviewer, taskId, { decision: 'approve' });
    expect(await publishTranslation(rt.ctx, taskId)).toBe('published');
    const day = new Date().toISOString().slice(0, 10);
    const count = () => rt.ctx.redis.get(rt.ctx.keys.publishedCount('ru:en', day));
    const countedOnce = await count();

    // What a crash right after the archive leaves: the story still shows the task as open.
    await TaskPointer.create({ _id: openPointerId(storyId, 'en'), task: taskId, at: new Date() });
    await rt.ctx.redis.sadd(rt.ctx.keys.translating(storyId), 'en');

    expect(await publishTranslation(rt.ctx, taskId)).toBe('already_published');
    expect(await TaskPointer.findById(openPointerId(storyId, 'en')).lean()).toBeNull();
    expect(await rt.ctx.redis.sismember(rt.ctx.keys.translating(storyId), 'en')).toBe(0);
    expect(await count()).toBe(countedOnce);
  });

  it('puts an approved task whose publish job is gone, a submitted one without QA and a lost open task back', async () => {
    // Approved, but its publish job is lost (no publish worker runs yet).
    const approved = await openTask('Визит делегации');
    await submitNext();
    await eventually(async () => (await findTask(approved.taskId))?.state === 'in_review', 60_000);
    await reviewTask(rt.ctx, reviewer, approved.taskId, { decision: 'approve' });
    await eventually(async () => !!(await publishQueue().getJob(`publish-${approved.taskId}`)), 30_000);
    await publishQueue().remove(`publish-${approved.taskId}`);

    // Submitted, but its QA job is lost: stop the review worker first.
    await Promise.all(workers.splice(1).map((w) => w.close()));
    const submitted = await openTask('Пресс-конференция');
    await submitNext();
    const qaJobId = `qa-${submitted.taskId}-r${(await findTask(submitted.taskId))!.revision}`;
    await eventually(async () => !!(await reviewQueue().getJob(qaJobId)), 30_000);
    await reviewQueue().remove(qaJobId);

    // Open, but popped from its ready queue by a web process that died before claiming.
    const open = await openTask('Совместное заявление');
    const openDoc = (await findTask(open.taskId))!;
    expect(await rt.ctx.redis.zrem(rt.ctx.keys.workflow.ready('ru:en'), queueMember(openDoc))).toBe(1);

    const done = await reconcileWorkflow(rt.ctx);
    expect(done).toMatchObject({ publish: 1, qa: 1 });
    expect(await rt.ctx.redis.zscore(rt.ctx.keys.workflow.ready('ru:en'), queueMember(openDoc))).toBe('0');
    expect(await publishQueue().getJob(`publish-${approved.taskId}`)).toBeTruthy();
    expect(await reviewQueue().getJob(qaJobId)).toBeTruthy();
    // A second pass finds everything due already.
    expect(await reconcileWorkflow(rt.ctx)).toMatchObject({ publish: 0, qa: 0 });

    startWorkersFor('review', 'publish');
    await eventually(async () => (await requireAnyTask(approved.taskId)).state === 'published', 60_000);
    await eventually(async () => (await findTask(submitted.taskId))?.state === 'in_review', 60_000);
    expect(await Release.findById(`${approved.storyId}.en`).lean()).toMatchObject({ status: 'published' });
    expect((await claimTask(rt.ctx, translator, 'ru:en'))?._id).toBe(open.taskId);
  });
});
