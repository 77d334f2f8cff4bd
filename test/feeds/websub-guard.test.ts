import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedLookup, isPrivateAddress } from '../../src/websub/callback-guard.js';
import { callbackRequest } from '../../src/websub/callback-request.js';
import { closeSyndicationQueues } from '../../src/websub/syndication-queues.js';
import { websubVerifyJob } from '../../src/websub/websub-verify.job.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
let server: Server;
let hits = 0;
let port = 0;

beforeAll(async () => {
  rt = await startTestRuntime(); // WEBSUB_ALLOW_PRIVATE_CALLBACKS left at its default: off
  server = createServer((req, res) => {
    hits++;
    res.end(new URL(req.url ?? '/', 'http://x').searchParams.get('hub.challenge') ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  if (rt) await closeSyndicationQueues(rt.web);
  await new Promise((r) => server?.close(r));
  await rt?.close();
});

describe('callback SSRF guard', () => {
  it('refuses loopback and private callbacks unless allowed in config', async () => {
    const topic = `${rt.ctx.config.publicUrl}/en/rss.xml`;
    for (const callback of [
      `http://127.0.0.1:${port}/cb`,
      `http://localhost:${port}/cb`,
      'http://10.1.2.3/cb',
      'http://192.168.0.10/cb',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/cb',
      'http://[::ffff:127.0.0.1]/cb',
    ]) {
      const res = await request(rt.app)
        .post('/websub/hub')
        .type('form')
        .set('Accept', 'application/json')
        .send({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': callback })
        .expect(400);
      expect(res.body.error.code, callback).toBe('private_callback');
      expect(res.body.error.message).toMatch(/WEBSUB_ALLOW_PRIVATE_CALLBACKS/);
    }
    expect(hits).toBe(0);
  });

  it('classifies addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.1.1',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      'not-an-ip',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses every IPv6 form that embeds an IPv4 address (issue 8 item 9)', async () => {
    const embedded = [
      '::7f00:1',
      '::127.0.0.1',
      '2002:7f00:1::1',
      '::ffff:0:7f00:1',
      '64:ff9b::7f00:1',
      '64:ff9b::a00:1',
      '64:ff9b:1::7f00:1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '::ffff:7f00:1',
      '100::1',
      '2001:db8::1',
      '4000::1',
    ];
    for (const a of embedded) expect(isPrivateAddress(a), a).toBe(true);
    const topic = `${rt.ctx.config.publicUrl}/en/rss.xml`;
    for (const a of embedded.slice(0, 5)) {
      const res = await request(rt.app)
        .post('/websub/hub')
        .type('form')
        .set('Accept', 'application/json')
        .send({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': `http://[${a}]:${port}/cb` })
        .expect(400);
      expect(res.body.error.code, a).toBe('private_callback');
    }
    expect(isPrivateAddress('2a00:1450:4001:80b::200e')).toBe(false);
    expect(hits).toBe(0);
  });

  it('limits the secret to 200 bytes of UTF-8, not UTF-16 units (issue 8 item 15)', async () => {
    const topic = `${rt.ctx.config.publicUrl}/en/rss.xml`;
    const send = (secret: string) =>
      request(rt.app).post('/websub/hub').type('form').set('Accept', 'application/json').send({
        'hub.mode': 'subscribe',
        'hub.topic': topic,
        'hub.callback': 'https://93.184.216.34/cb',
        'hub.secret': secret,
      });
    const wide = 'ж'.repeat(198); // 198 UTF-16 units, 396 bytes
    const res = await send(wide);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/200 bytes/);
    expect((await send('ж'.repeat(99))).status).toBe(202);
  });

  it('keeps a bounded number of failed verifications from anonymous hub requests', () => {
    expect(websubVerifyJob.options?.removeOnFail).toMatchObject({ count: expect.any(Number) });
    expect((websubVerifyJob.options?.removeOnFail as { count: number }).count).toBeLessThanOrEqual(1000);
  });

  it('refuses a private address at connect time too (DNS rebinding)', async () => {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      guardedLookup(false)('localhost', {}, (e) => resolve(e)),
    );
    expect(err?.code).toBe('EPRIVATE');
    await expect(
      callbackRequest(`http://localhost:${port}/cb`, { method: 'GET', allowPrivate: false }),
    ).rejects.toThrow(/private/);
    expect(hits).toBe(0);
    const allowed = await callbackRequest(`http://localhost:${port}/cb?hub.challenge=abc`, {
      method: 'GET',
      allowPrivate: true,
    });
    expect(allowed).toEqual({ status: 200, body: 'abc' });
  });
});
