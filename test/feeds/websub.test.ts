import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { parseRssFeed } from 'feedsmith';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { startWorkers } from '../../src/jobs/registry.js';
import { WEBSUB_JOBS } from '../../src/websub/jobs.js';
import { WebSubSubscription, subscriptionId } from '../../src/websub/subscription.model.js';
import { SYNDICATION_QUEUE } from '../../src/websub/queue-name.js';
import { closeSyndicationQueues, syndicationQueues } from '../../src/websub/syndication-queues.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { guidOf, parseTwice, publish, waitFor } from './support.js';

interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A partner's subscriber on loopback: records every request; behaviour per path. */
class Subscriber {
  readonly received: Received[] = [];
  /** Per path: what to answer to the n-th POST (default 200). */
  postAnswers = new Map<string, (n: number) => Promise<number> | number>();
  /** Paths that answer the verification with a wrong challenge. */
  refuseVerification = new Set<string>();
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const u = new URL(req.url ?? '/', 'http://x');
      const entry = {
        method: req.method!,
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      this.received.push(entry);
      if (req.method === 'GET') {
        const challenge = u.searchParams.get('hub.challenge') ?? '';
        res.end(this.refuseVerification.has(u.pathname) ? 'wrong' : challenge);
        return;
      }
      const n = this.posts(u.pathname).length;
      res.statusCode = (await this.postAnswers.get(u.pathname)?.(n)) ?? 200;
      res.end();
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  posts(path: string): Received[] {
    return this.received.filter((r) => r.method === 'POST' && r.path === path);
  }
  gets(path: string): Received[] {
    return this.received.filter((r) => r.method === 'GET' && r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

let rt: TestRuntime;
let workers: Worker[];
const sub = new Subscriber();
let topic: (path: string) => string;

beforeAll(async () => {
  rt = await startTestRuntime({ WEBSUB_ALLOW_PRIVATE_CALLBACKS: '1' });
  topic = (path) => `${rt.ctx.config.publicUrl}${path}`;
  workers = startWorkers(rt.ctx, WEBSUB_JOBS);
  await sub.start();
});
afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.close()));
  if (rt) {
    await closeSyndicationQueues(rt.ctx);
    await closeSyndicationQueues(rt.web);
  }
  await sub.stop();
  await rt?.close();
});

const hub = (form: Record<string, string>) =>
  request(rt.app).post('/websub/hub').type('form').send(form).set('Accept', 'application/json');

async function subscribe(path: string, feedPath: string, extra: Record<string, string> = {}) {
  await hub({
    'hub.mode': 'subscribe',
    'hub.topic': topic(feedPath),
    'hub.callback': `${sub.url}${path}`,
    ...extra,
  }).expect(202);
}

const hmac = (secret: string, body: Buffer) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('WebSub hub', () => {
  it('verifies a subscription with a challenge, then pushes a signed feed on publish', async () => {
    await subscribe('/partner', '/en/rss.xml', {
      'hub.secret': 'partner-secret',
      'hub.lease_seconds': '3600',
    });
    const [verification] = await waitFor(
      () => sub.gets('/partner').length && sub.gets('/partner'),
      'verification',
    );
    expect(verification.query.get('hub.mode')).toBe('subscribe');
    expect(verification.query.get('hub.topic')).toBe(topic('/en/rss.xml'));
    expect(verification.query.get('hub.lease_seconds')).toBe('3600');
    expect(verification.query.get('hub.challenge')).toMatch(/^[0-9a-f]{32}$/);
    const id = subscriptionId(topic('/en/rss.xml'), `${sub.url}/partner`);
    const stored = await waitFor(() => WebSubSubscription.findById(id).lean(), 'subscription stored');
    expect(stored.expiresAt.getTime() - stored.verifiedAt.getTime()).toBe(3600_000);

    await publish(rt, { storyId: 'websuba', lang: 'en', title: 'Pushed news' });
    const [push] = await waitFor(() => sub.posts('/partner').length && sub.posts('/partner'), 'push');
    expect(push.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(push.headers['x-hub-signature']).toBe(hmac('partner-secret', push.body));
    expect(push.headers.link).toContain(`<${topic('/en/rss.xml')}>; rel="self"`);
    expect(push.headers.link).toContain('rel="hub"');
    for (const parsed of parseTwice('rss', push.body.toString('utf8'))) {
      expect(parsed.items[0].id).toBe(guidOf('websuba.en'));
    }
  });

  it('a subscriber that does not echo the challenge is not subscribed', async () => {
    sub.refuseVerification.add('/refuses');
    await subscribe('/refuses', '/en/rss.xml');
    const queue = syndicationQueues(rt.web).queue(SYNDICATION_QUEUE);
    const job = await waitFor(
      async () => (await queue.getCompleted()).find((j) => j.data.callback === `${sub.url}/refuses`),
      'verification job to finish',
    );
    expect(job.returnvalue).toEqual({ verified: false });
    expect(sub.gets('/refuses')).toHaveLength(1);
    expect(
      await WebSubSubscription.findById(subscriptionId(topic('/en/rss.xml'), `${sub.url}/refuses`)).lean(),
    ).toBeNull();
  });

  it('a failing subscriber is retried with backoff and does not hold up publishing', async () => {
    let release!: (status: number) => void;
    const firstAnswer = new Promise<number>((r) => (release = r));
    sub.postAnswers.set('/flaky', (n) => (n === 1 ? firstAnswer : 200));
    await subscribe('/flaky', '/en/atom.xml', { 'hub.secret': 'flaky-secret' });
    await waitFor(
      () => WebSubSubscription.findById(subscriptionId(topic('/en/atom.xml'), `${sub.url}/flaky`)).lean(),
      'flaky subscription',
    );

    // The first push hangs until we answer it; publishing must complete meanwhile.
    await writeRelease({
      storyId: 'websubb',
      lang: 'en',
      title: 'Published while a partner hangs',
      body: '<p>x</p>',
      status: 'published',
      section: 'news',
      tags: [],
    });
    await rt.relay.drain();
    await waitFor(() => sub.posts('/flaky').length === 1, 'first push attempt');
    const feed = await request(rt.app).get('/en/atom.xml').expect(200);
    expect(feed.text).toContain(guidOf('websubb.en')); // readers already see it
    expect(sub.posts('/flaky')).toHaveLength(1); // and the partner has not answered yet

    release(503);
    const posts = await waitFor(() => sub.posts('/flaky').length >= 2 && sub.posts('/flaky'), 'retry');
    expect(posts[1].headers['x-hub-signature']).toBe(hmac('flaky-secret', posts[1].body));
    expect(posts[1].body.toString('utf8')).toContain(guidOf('websubb.en'));
  });

  it('renews a lease, and unsubscribes after verifying the intent', async () => {
    const id = subscriptionId(topic('/en/rss.xml'), `${sub.url}/partner`);
    const before = (await WebSubSubscription.findById(id).lean())!;
    await subscribe('/partner', '/en/rss.xml', {
      'hub.secret': 'partner-secret',
      'hub.lease_seconds': '7200',
    });
    const renewed = await waitFor(async () => {
      const s = await WebSubSubscription.findById(id).lean();
      return s && s.leaseSeconds === 7200 && s;
    }, 'renewal');
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(before.expiresAt.getTime());

    await hub({
      'hub.mode': 'unsubscribe',
      'hub.topic': topic('/en/rss.xml'),
      'hub.callback': `${sub.url}/partner`,
    }).expect(202);
    await waitFor(async () => !(await WebSubSubscription.findById(id).lean()), 'unsubscribe');
    expect(sub.gets('/partner').at(-1)!.query.get('hub.mode')).toBe('unsubscribe');
  });

  it('drops expired leases instead of pushing to them', async () => {
    await subscribe('/expired', '/en/feed.json');
    const id = subscriptionId(topic('/en/feed.json'), `${sub.url}/expired`);
    await waitFor(() => WebSubSubscription.findById(id).lean(), 'subscription');
    await WebSubSubscription.updateOne({ _id: id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await publish(rt, { storyId: 'websubc', lang: 'en', title: 'After expiry' });
    await waitFor(
      async () => !(await WebSubSubscription.findById(id).lean()),
      'expired subscription removed',
    );
    expect(sub.posts('/expired')).toHaveLength(0);
  });

  it('refuses bad requests with a 400 that says why', async () => {
    const cases: [Record<string, string>, string][] = [
      [
        { 'hub.mode': 'publish', 'hub.topic': topic('/en/rss.xml'), 'hub.callback': `${sub.url}/x` },
        'invalid_hub_request',
      ],
      [
        {
          'hub.mode': 'subscribe',
          'hub.topic': 'https://elsewhere.example/feed',
          'hub.callback': `${sub.url}/x`,
        },
        'unknown_topic',
      ],
      [
        { 'hub.mode': 'subscribe', 'hub.topic': topic('/xx/rss.xml'), 'hub.callback': `${sub.url}/x` },
        'unknown_topic',
      ],
      [
        { 'hub.mode': 'subscribe', 'hub.topic': topic('/en/rss.xml'), 'hub.callback': 'ftp://example.org/x' },
        'invalid_callback',
      ],
      [
        { 'hub.mode': 'subscribe', 'hub.topic': topic('/en/rss.xml'), 'hub.callback': 'not a url' },
        'invalid_callback',
      ],
      [{ 'hub.mode': 'subscribe', 'hub.topic': topic('/en/rss.xml') }, 'invalid_hub_request'],
    ];
    for (const [form, code] of cases) {
      const res = await hub(form).expect(400);
      expect(res.body.error.code, JSON.stringify(form)).toBe(code);
    }
  });
});

describe('WebSub in feeds', () => {
  it('every feed names the hub', async () => {
    const rss = parseRssFeed((await request(rt.app).get('/en/rss.xml').expect(200)).text);
    expect(rss.atom?.links).toEqual(expect.arrayContaining([expect.objectContaining({ rel: 'hub' })]));
    const json = JSON.parse((await request(rt.app).get('/en/feed.json').expect(200)).text);
    expect(json.hubs).toEqual([{ type: 'WebSub', url: `${rt.ctx.config.publicUrl}/websub/hub` }]);
    const atom = (await request(rt.app).get('/en/atom.xml').expect(200)).text;
    expect(atom).toContain(`<link rel="hub" href="${rt.ctx.config.publicUrl}/websub/hub"/>`);
  });
});
