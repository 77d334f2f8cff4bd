import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTask } from '../../src/commands/claim-task.js';
import { createStory } from '../../src/commands/create-story.js';
import { publishTranslation } from '../../src/commands/publish-translation.js';
import { reviewTask } from '../../src/commands/review-task.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { submitTask } from '../../src/commands/submit-task.js';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { Release } from '../../src/models/release.js';
import { ReleaseRevision } from '../../src/models/release-revision.js';
import { TaskPointer, openPointerId } from '../../src/models/task-pointer.js';
import type { Actor } from '../../src/policies/actor.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { queueMember } from '../../src/workflow/ready-queue.js';
import { reconcileWorkflow } from '../../src/workflow/rebuild-state.js';
import { findTask, requireAnyTask } from '../../src/workflow/task-store.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser, eventually } from './support.js';

const LANGS = ['ru', 'en'];
let rt: TestRuntime;
const workers: Worker[] = [];
let editor: Actor;
let translator: Actor;
let reviewer: Actor;

/** Workers for some queues only, so a test decides when review and publish jobs run. */
const startWorkersFor = (...queues: string[]) =>
  workers.push(
    ...startWorkers(
      rt.ctx,
      JOBS.filter((j) => queues.includes(j.queue)),
      2,
    ),
  );

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
  const taskId = await eventually(async () => {
    const ptr = await TaskPointer.findById(openPointerId(storyId, 'en')).lean();
    return ptr && (await findTask(ptr.task))?.state === 'open' ? ptr.task : null;
  }, 60_000);
  return { storyId, taskId };
}

/** Claims, translates and submits the pair's next task. */
async function submitNext() {
  const task = (await claimTask(rt.ctx, translator, 'ru:en'))!;
  await saveTaskSegments(rt.ctx, translator, task._id, {
    baseRevision: task.revision,
    segments: task.segments.map((s) => ({ i: s.i, target: `EN ${s.source}`, confirmed: true })),
  });
  await submitTask(rt.ctx, translator, task._id);
  return task._id;
}

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
