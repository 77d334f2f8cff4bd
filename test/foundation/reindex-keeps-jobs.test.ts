import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { publishTranslationJob } from '../../src/jobs/publish.job.js';
import { taskQaJob } from '../../src/jobs/review.job.js';
import { translationFanOutJob } from '../../src/jobs/translation.job.js';
import { OutboxEvent } from '../../src/models/outbox-event.js';
import { loadCards } from '../../src/read-models/release-index.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { scheduleLeaseSweep } from '../../src/workflow/rebuild-state.js';
import { spawnNewsroom } from '../support/spawn-newsroom.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { eventually } from '../workflow/support.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const HOUR = 3_600_000;

/** What a queue holds, by state, and whether it is paused. */
async function snapshot(name: string) {
  const q = jobQueues(rt.ctx).queue(name);
  return {
    counts: await q.getJobCounts('waiting', 'delayed', 'active', 'prioritized'),
    paused: await q.isPaused(),
    schedulers: (await q.getJobSchedulers()).map((s) => s.key),
  };
}

describe('newsroom reindex (the CLI) while jobs wait', () => {
  it('keeps every waiting, delayed and paused job and the paused state', { timeout: 120_000 }, async () => {
    // Something published for the read model to rebuild.
    await writeRelease({
      storyId: 'reindex-1',
      lang: 'ru',
      title: 'Заседание',
      body: '<p>Текст</p>',
      section: 'news',
      tags: [],
      status: 'published',
    });
    await eventually(async () => (await OutboxEvent.countDocuments()) === 0, 30_000);

    // No worker runs in this process: jobs stay where they are put.
    const queues = jobQueues(rt.ctx);
    for (let i = 0; i < 6; i++) {
      await queues.enqueue(publishTranslationJob, { taskId: `task-wait-${i}` });
    }
    await queues.enqueue(publishTranslationJob, { taskId: 'task-later' }, { delay: HOUR });
    await queues.enqueue(taskQaJob, { taskId: 'qa-wait', revision: 1 });
    await queues.enqueue(taskQaJob, { taskId: 'qa-later', revision: 2 }, { delay: HOUR });
    await queues.enqueue(translationFanOutJob, { storyId: 'pub-story', lang: 'ru', revision: 1 });
    await queues.enqueue(
      translationFanOutJob,
      { storyId: 'pub-story', lang: 'ru', revision: 2 },
      { delay: HOUR },
    );
    await queues.queue(publishTranslationJob.queue).pause();
    await scheduleLeaseSweep(rt.ctx);

    const names = ['publish', 'review', 'translation', 'maintenance'];
    const before = await Promise.all(names.map(snapshot));
    expect(before[0].paused).toBe(true);
    expect(before[0].counts.waiting).toBe(6);
    expect(before[0].counts.delayed).toBe(1);
    expect(before[1].counts.waiting).toBe(1);
    expect(before[2].counts.delayed).toBe(1);
    expect(before[3].schedulers).toHaveLength(1);

    // Lose part of the read model, as after a bad deploy, and rebuild it the operator's way.
    await rt.ctx.redis.del(rt.ctx.keys.releases.card('reindex-1.ru'));
    const cli = spawnNewsroom('src/bin/newsroom.ts', { ...rt.env, LOG_LEVEL: 'warn' }, ['reindex']);
    await cli.waitFor(/reindex: \d+ published releases/, 90_000);
    expect((await cli.exited).code).toBe(0);

    expect(await Promise.all(names.map(snapshot))).toEqual(before);
    const job = await queues.queue('publish').getJob('publish-task-wait-3');
    expect(job?.data).toEqual({ taskId: 'task-wait-3' });
    expect((await loadCards(rt.ctx, ['reindex-1.ru'])).map((c) => c.id)).toEqual(['reindex-1.ru']);
  });
});
