import type { Worker } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { scheduleRelease } from '../../src/commands/schedule-release.js';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { Release } from '../../src/models/release.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { rebuildWorkflowState } from '../../src/workflow/rebuild-state.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser, eventually } from './support.js';

let rt: TestRuntime;
let workers: Worker[];
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
  workers = startWorkers(rt.ctx, JOBS, 2);
});
afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.close()));
  await rt?.close();
});

const draft = async (actor: Awaited<ReturnType<typeof buildUser>>['actor']) =>
  (await createStory(rt.ctx, actor, { title: 'Анонс', body: '<p>Скоро.</p>' })).storyId;

describe('scheduled publishing', () => {
  it('publishes at the scheduled time; a reschedule replaces the old time', async () => {
    const editor = await buildUser(['editor'], [], ['ru', 'en']);
    const storyId = await draft(editor.actor);
    const soon = Date.now() + 60 * 60_000;
    const r1 = await request(rt.app)
      .put(`/api/v1/stories/${storyId}/ru/schedule`)
      .set(editor.auth)
      .send({ baseRevision: 1, at: new Date(soon).toISOString() });
    expect(r1.status).toBe(200);
    expect(r1.body.story.languages.ru.release).toMatchObject({ status: 'scheduled' });
    // Rescheduled to (almost) now: the new job publishes, the old one will find nothing to do.
    const at = new Date(Date.now() + 1_500);
    await scheduleRelease(rt.ctx, editor.actor, storyId, 'ru', { baseRevision: 2, at });
    const published = await eventually(async () => {
      const r = await Release.findById(`${storyId}.ru`).lean();
      return r?.status === 'published' ? r : null;
    });
    expect(published.publishedAt?.getTime()).toBe(at.getTime());
    // Publishing on schedule fans out translation as any publish does.
    await eventually(
      async () =>
        (await request(rt.app).get(`/api/v1/stories/${storyId}`).set(editor.auth)).body.story.languages.en
          .task,
    );
  });

  it('cancelling puts the release back to draft and its job does nothing', async () => {
    const editor = await buildUser(['editor'], [], ['ru', 'en']);
    const storyId = await draft(editor.actor);
    await scheduleRelease(rt.ctx, editor.actor, storyId, 'ru', {
      baseRevision: 1,
      at: new Date(Date.now() + 1_000),
    });
    await scheduleRelease(rt.ctx, editor.actor, storyId, 'ru', { baseRevision: 2, at: null });
    const queue = jobQueues(rt.ctx).queue('schedule');
    await eventually(
      async () => (await queue.getCompleted()).some((j) => j.data.releaseId === `${storyId}.ru`),
      15_000,
    );
    expect((await Release.findById(`${storyId}.ru`).lean())?.status).toBe('draft');
  });

  it('survives losing Redis: the worker-start reconcile re-creates the delayed job from MongoDB', async () => {
    const editor = await buildUser(['editor'], [], ['ru', 'en']);
    const storyId = await draft(editor.actor);
    const at = new Date(Date.now() + 24 * 3600_000);
    await scheduleRelease(rt.ctx, editor.actor, storyId, 'ru', { baseRevision: 1, at });
    const queue = jobQueues(rt.ctx).queue('schedule');
    const jobId = `scheduled-${storyId}.ru-${at.getTime()}`;
    await eventually(async () => (await queue.getJob(jobId)) !== undefined);
    await (await queue.getJob(jobId))!.remove(); // as if Redis had lost it
    expect(await queue.getJob(jobId)).toBeUndefined();
    expect((await rebuildWorkflowState(rt.ctx)).scheduled).toBeGreaterThanOrEqual(1);
    const again = await queue.getJob(jobId);
    expect(again?.data).toEqual({ releaseId: `${storyId}.ru`, at: at.getTime() });
    expect(await again?.isDelayed()).toBe(true);
  });
});
