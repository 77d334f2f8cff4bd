import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEvent } from '../../src/models/outbox-event.js';
import { OUTBOX_EVENTS } from '../../src/outbox/events.js';
import { REACTIONS } from '../../src/outbox/handlers.js';
import { OutboxRelay, emitEvent, type Reactions } from '../../src/outbox/outbox.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
  await rt.relay.stop(); // this file drives its own relays
});
afterAll(async () => {
  await rt?.close();
});

const none = {
  'release.changed': [],
  'release.scheduled': [],
  'story.embargo': [],
  'story.contact': [],
  'task.overdue': [],
  'media.uploaded': [],
} as const;

describe('the outbox reactions table', () => {
  it('has a row for every event type, and every event type has a schema', () => {
    expect(Object.keys(REACTIONS).sort()).toEqual(Object.keys(OUTBOX_EVENTS).sort());
    expect(REACTIONS['release.changed'].length).toBeGreaterThanOrEqual(4);
  });

  it('refuses to record an event whose payload does not match its schema', async () => {
    await expect(
      emitEvent('task.approved:bad', 'task.approved', { taskId: 42 } as unknown as { taskId: string }),
    ).rejects.toThrow(/taskId/);
    expect(await OutboxEvent.findById('task.approved:bad').lean()).toBeNull();
  });

  it('runs an event’s handlers in the listed order and keeps the event until all succeed', async () => {
    const calls: string[] = [];
    let failOnce = true;
    const table: Reactions = {
      ...none,
      'task.submitted': [],
      'task.approved': [
        async (p) => void calls.push(`first ${p.taskId}`),
        async (p) => {
          calls.push(`second ${p.taskId}`);
          if (failOnce) {
            failOnce = false;
            throw new Error('Redis is away');
          }
        },
      ],
    };
    const relay = new OutboxRelay(rt.ctx, table);
    await emitEvent('task.approved:order-1', 'task.approved', { taskId: 'order-1' });
    await relay.drain();
    expect(calls).toEqual(['first order-1', 'second order-1']);
    expect(await OutboxEvent.findById('task.approved:order-1').lean()).toMatchObject({ attempts: 1 });
    await relay.drain();
    expect(calls).toEqual(['first order-1', 'second order-1', 'first order-1', 'second order-1']);
    expect(await OutboxEvent.findById('task.approved:order-1').lean()).toBeNull();
  });

  it('never hands a handler a payload that does not match its schema', async () => {
    const seen: unknown[] = [];
    const table: Reactions = {
      ...none,
      'task.approved': [],
      'task.submitted': [async (p) => void seen.push(p)],
    };
    // Written behind emitEvent's back, as an older version or a manual insert could.
    await OutboxEvent.create({
      _id: 'task.submitted:bad',
      type: 'task.submitted',
      payload: { taskId: 't', revision: 'two' },
    });
    await new OutboxRelay(rt.ctx, table).drain();
    expect(seen).toEqual([]);
    const kept = await OutboxEvent.findById('task.submitted:bad').lean();
    expect(kept?.lastError).toMatch(/revision/);
    await OutboxEvent.deleteOne({ _id: 'task.submitted:bad' });
  });
});
