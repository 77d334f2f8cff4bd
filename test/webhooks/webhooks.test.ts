import { createHmac } from 'node:crypto';
import type { Worker } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../src/jobs/registry.js';
import { Task } from '../../src/models/translation-task.js';
import { emitEvent } from '../../src/outbox/outbox.js';
import { WEBHOOK_JOBS } from '../../src/webhooks/jobs.js';
import { reportOverdueTasks } from '../../src/webhooks/overdue-check.job.js';
import { closeJobQueues } from '../../src/workflow/queues.js';
import { publish, waitFor } from '../feeds/support.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';
import { Receiver, type Received } from './receiver.js';

let rt: TestRuntime;
let workers: Worker[];
let admin: Awaited<ReturnType<typeof buildUser>>;
const receiver = new Receiver();

beforeAll(async () => {
  rt = await startTestRuntime({
    NEWSROOM_LANGUAGES: 'ru,en',
    WEBHOOK_ALLOW_PRIVATE_URLS: '1', // the receiver is on loopback
    WEBHOOK_BACKOFF_MS: '200',
  });
  workers = startWorkers(rt.ctx, WEBHOOK_JOBS);
  admin = await buildUser(['admin']);
  await receiver.start();
});
afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.close()));
  if (rt) await closeJobQueues(rt.web);
  await receiver.stop();
  await rt?.close();
});

const api = () => request(rt.app);

/** Registers an endpoint at `path` of the receiver through the API; returns id and secret. */
async function register(path: string, events: string[]): Promise<{ id: string; secret: string }> {
  const res = await api()
    .post('/api/v1/webhooks')
    .set(admin.auth)
    .send({ url: `${receiver.url}${path}`, events, description: `receiver ${path}` });
  expect(res.status).toBe(201);
  expect(res.body.webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  return { id: res.body.webhook.id, secret: res.body.webhook.secret };
}

const log = async (id: string) =>
  (await api().get(`/api/v1/webhooks/${id}/deliveries`).set(admin.auth).expect(200)).body.deliveries as {
    id: string;
    type: string;
    status: string;
    attempts: number;
    lastStatusCode: number | null;
  }[];

/** Our own check of the scheme, besides the library's: HMAC-SHA256 of "id.timestamp.body". */
function expectSignedBy(secret: string, r: Received): void {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`;
  const expected = createHmac('sha256', key).update(signed).digest('base64');
  expect(r.headers['webhook-signature']).toBe(`v1,${expected}`);
  expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(300);
}

describe('webhooks: registration', () => {
  it('is for admins only, and refuses loopback and private URLs unless allowed', async () => {
    const editor = await buildUser(['editor']);
    const refused = await api()
      .post('/api/v1/webhooks')
      .set(editor.auth)
      .send({ url: `${receiver.url}/x`, events: ['story.published'] });
    expect(refused.status).toBe(403);
    expect((await api().get('/api/v1/webhooks')).status).toBe(401);

    const bad = await api()
      .post('/api/v1/webhooks')
      .set(admin.auth)
      .send({ url: `${receiver.url}/x`, events: ['story.deleted'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');

    // As in production (the flag off): loopback, private and IPv4-in-IPv6 forms are refused.
    rt.ctx.config.WEBHOOK_ALLOW_PRIVATE_URLS = false;
    try {
      for (const url of [
        `${receiver.url}/x`,
        'http://10.1.2.3/hook',
        'http://[::ffff:127.0.0.1]/hook',
        'http://169.254.169.254/latest/meta-data',
      ]) {
        const res = await api()
          .post('/api/v1/webhooks')
          .set(admin.auth)
          .send({ url, events: ['story.published'] });
        expect(res.status, url).toBe(400);
        expect(res.body.error.code).toBe('private_webhook_url');
        expect(res.body.error.message).toMatch(/WEBHOOK_ALLOW_PRIVATE_URLS/);
      }
      const creds = await api()
        .post('/api/v1/webhooks')
        .set(admin.auth)
        .send({ url: 'https://user:pw@example.org/hook', events: ['story.published'] });
      expect(creds.body.error.code).toBe('invalid_webhook_url');
    } finally {
      rt.ctx.config.WEBHOOK_ALLOW_PRIVATE_URLS = true;
    }
    const listed = await api().get('/api/v1/webhooks').set(admin.auth).expect(200);
    expect(listed.body.webhooks).toEqual([]);
  });

  it('refuses at delivery time too when the address became private (connect-time guard)', async () => {
    const { id } = await register('/later-private', ['story.updated']);
    rt.ctx.config.WEBHOOK_ALLOW_PRIVATE_URLS = false;
    try {
      await api().post(`/api/v1/webhooks/${id}/test`).set(admin.auth).expect(202);
      const [d] = await waitFor(async () => {
        const l = await log(id);
        return l.length && l[0].attempts >= 1 && l;
      }, 'a refused attempt');
      expect(d.status).toMatch(/retrying|failed/);
      expect(receiver.at('/later-private')).toEqual([]);
      const full = await api().get(`/api/v1/webhooks/${id}/deliveries/${d.id}`).set(admin.auth).expect(200);
      expect(full.body.delivery.log[0].error).toMatch(/private|loopback/);
    } finally {
      rt.ctx.config.WEBHOOK_ALLOW_PRIVATE_URLS = true;
      await api().delete(`/api/v1/webhooks/${id}`).set(admin.auth).expect(204);
    }
  });
});

describe('webhooks: deliveries', () => {
  it('story.published: signed per Standard Webhooks, verified by an independent library', async () => {
    const { id, secret } = await register('/published', ['story.published', 'story.updated']);
    await publish(rt, { storyId: 'wh1', lang: 'en', title: 'Hooked news', slug: 'hooked-news' });
    const [r] = await waitFor(
      () => receiver.at('/published').length && receiver.at('/published'),
      'delivery',
    );
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['user-agent']).toBe('Newsroom-Webhooks/1.0');
    expect(r.headers['webhook-id']).toMatch(/^msg_[A-Za-z0-9_-]{26}$/);
    expectSignedBy(secret, r);
    const message = Receiver.verify(secret, r);
    expect(message.type).toBe('story.published');
    expect(message.data).toMatchObject({
      storyId: 'wh1',
      releaseId: 'wh1.en',
      lang: 'en',
      revision: 1,
      title: 'Hooked news',
      url: `${rt.ctx.config.publicUrl}/en/news/hooked-news`,
    });
    // A forged body does not verify.
    expect(() => Receiver.verify(secret, { ...r, body: r.body.replace('Hooked', 'Forged') })).toThrow();

    // A correction of the public text is story.updated; a draft edit of another story is nothing.
    await publish(rt, { storyId: 'wh1', lang: 'en', title: 'Hooked news, corrected', slug: 'hooked-news' });
    await publish(rt, { storyId: 'wh2', lang: 'en', status: 'draft' });
    const [, second] = await waitFor(
      () => receiver.at('/published').length >= 2 && receiver.at('/published'),
      'the update',
    );
    expect(Receiver.verify(secret, second)).toMatchObject({
      type: 'story.updated',
      data: { releaseId: 'wh1.en', revision: 2, title: 'Hooked news, corrected' },
    });
    const entries = await waitFor(async () => {
      const l = await log(id);
      return l.length === 2 && l.every((d) => d.status === 'delivered') && l;
    }, 'the log');
    expect(entries.map((d) => [d.type, d.attempts, d.lastStatusCode])).toEqual([
      ['story.updated', 1, 200],
      ['story.published', 1, 200],
    ]);
    expect(receiver.at('/published')).toHaveLength(2);
  });

  it('a receiver that fails twice then succeeds gets exactly one accepted delivery, same id each time', async () => {
    const { id, secret } = await register('/flaky', ['story.published']);
    receiver.answers.set('/flaky', (n) => (n < 2 ? 503 : 200));
    await publish(rt, { storyId: 'wh3', lang: 'en', title: 'Retried news' });
    const tries = await waitFor(() => receiver.at('/flaky').length >= 3 && receiver.at('/flaky'), 'retries');
    const [d] = await waitFor(async () => {
      const l = await log(id);
      return l[0]?.status === 'delivered' && l;
    }, 'delivered');
    // Nothing more arrives once it was accepted.
    await new Promise((r) => setTimeout(r, 1_500));
    const all = receiver.at('/flaky');
    expect(all.map((r) => r.answered)).toEqual([503, 503, 200]);
    expect(new Set(all.map((r) => r.headers['webhook-id']))).toEqual(new Set([d.id]));
    for (const r of tries) expect(Receiver.verify(secret, r).type).toBe('story.published');
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
    const full = await api().get(`/api/v1/webhooks/${id}/deliveries/${d.id}`).set(admin.auth).expect(200);
    expect(full.body.delivery.log.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 503, 200]);
    expect(JSON.parse(full.body.delivery.body).data.releaseId).toBe('wh3.en');
  });

  it('an admin redelivers a delivery: the same id and body, a fresh signature', async () => {
    const { id, secret } = await register('/again', ['story.published']);
    await publish(rt, { storyId: 'wh4', lang: 'en', title: 'Sent twice' });
    const [d] = await waitFor(async () => {
      const l = await log(id);
      return l[0]?.status === 'delivered' && l;
    }, 'first delivery');
    const editor = await buildUser(['editor']);
    await api().post(`/api/v1/webhooks/${id}/deliveries/${d.id}/redeliver`).set(editor.auth).expect(403);
    const res = await api()
      .post(`/api/v1/webhooks/${id}/deliveries/${d.id}/redeliver`)
      .set(admin.auth)
      .expect(202);
    expect(res.body.delivery).toMatchObject({ id: d.id, status: 'pending', redeliveries: 1 });
    const [first, second] = await waitFor(
      () => receiver.at('/again').length >= 2 && receiver.at('/again'),
      'redelivery',
    );
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expectSignedBy(secret, second);
    await waitFor(async () => (await log(id))[0]?.status === 'delivered', 'delivered again');
    expect((await log(id))[0]).toMatchObject({ attempts: 2 });
    const missing = await api().post(`/api/v1/webhooks/${id}/deliveries/msg_nope/redeliver`).set(admin.auth);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('delivery_not_found');
  });

  it('translation.approved and task.overdue (once per due date) reach their subscribers only', async () => {
    const { secret } = await register('/tasks', ['translation.approved', 'task.overdue']);
    const now = new Date();
    const base = {
      story: 'wh5',
      pair: 'ru:en',
      from: 'ru',
      to: 'en',
      sourceRelease: 'wh5.ru',
      sourceRevision: 1,
      sourceContentHash: 'h',
      revision: 3,
      translator: 'translator@example.org',
      createdAt: now,
      updatedAt: now,
    };
    await Task.create({
      ...base,
      _id: 'wh5.en.ru1',
      state: 'approved',
      reviewer: 'reviewer@example.org',
      history: [{ at: now, by: 'reviewer@example.org', from: 'in_review', to: 'approved' }],
    });
    await Task.create({
      ...base,
      _id: 'wh6.en.ru1',
      story: 'wh6',
      state: 'in_progress',
      dueAt: new Date(now.getTime() - 60_000),
    });
    await Task.create({
      ...base,
      _id: 'wh7.en.ru1',
      story: 'wh7',
      state: 'open',
      dueAt: new Date(now.getTime() + 3_600_000),
    });
    await emitEvent('task.approved:wh5.en.ru1', 'task.approved', { taskId: 'wh5.en.ru1' });
    expect(await reportOverdueTasks(rt.ctx)).toBe(1);
    expect(await reportOverdueTasks(rt.ctx)).toBe(0); // reported once
    await rt.relay.drain();
    const got = await waitFor(() => receiver.at('/tasks').length >= 2 && receiver.at('/tasks'), 'task hooks');
    const messages = got.map((r) => Receiver.verify(secret, r)).sort((a, b) => a.type.localeCompare(b.type));
    expect(messages[0]).toMatchObject({
      type: 'task.overdue',
      data: { taskId: 'wh6.en.ru1', pair: 'ru:en', state: 'in_progress' },
    });
    expect(messages[1]).toMatchObject({
      type: 'translation.approved',
      data: { taskId: 'wh5.en.ru1', storyId: 'wh5', reviewer: 'reviewer@example.org' },
    });
    // A new due date that passes is a new report.
    await Task.updateOne({ _id: 'wh7.en.ru1' }, { $set: { dueAt: new Date(Date.now() - 1_000) } });
    expect(await reportOverdueTasks(rt.ctx)).toBe(1);
    await rt.relay.drain();
    await waitFor(() => receiver.at('/tasks').length >= 3, 'second overdue');
    expect(Receiver.verify(secret, receiver.at('/tasks')[2]).data.taskId).toBe('wh7.en.ru1');
    // The /published endpoint subscribed to neither.
    expect(receiver.at('/published').every((r) => !/task|translation/.test(JSON.parse(r.body).type))).toBe(
      true,
    );
  });

  it('keeps each endpoint’s log to the newest WEBHOOK_LOG_SIZE deliveries', async () => {
    const { id } = await register('/bounded', ['story.published']);
    rt.ctx.config.WEBHOOK_LOG_SIZE = 10; // the web context shares this config object
    const sent: string[] = [];
    for (let n = 0; n < 13; n++) {
      const res = await api().post(`/api/v1/webhooks/${id}/test`).set(admin.auth).expect(202);
      sent.push(res.body.delivery);
      await waitFor(
        async () => (await log(id)).find((d) => d.id === res.body.delivery)?.status === 'delivered',
        'test',
      );
    }
    const kept = await log(id);
    expect(kept).toHaveLength(10);
    expect(kept[0].id).toBe(sent[12]);
    expect(kept.map((d) => d.id)).not.toContain(sent[0]);
    expect(receiver.at('/bounded')).toHaveLength(13);
  });

  it('a disabled endpoint gets nothing new', async () => {
    const { id } = await register('/disabled', ['story.published']);
    await api().patch(`/api/v1/webhooks/${id}`).set(admin.auth).send({ disabled: true }).expect(200);
    await publish(rt, { storyId: 'wh8', lang: 'en' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(receiver.at('/disabled')).toEqual([]);
    expect(await log(id)).toEqual([]);
  });
});
