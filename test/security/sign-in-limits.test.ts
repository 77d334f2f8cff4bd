import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { csrfFrom, deskUser } from '../desk/desk-helpers.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

async function attempt(app: ReturnType<typeof createApp>, email: string, password: string, ip: string) {
  const agent = request.agent(app);
  const page = await agent.get('/desk/login').set('X-Forwarded-For', ip).expect(200);
  return agent
    .post('/desk/login')
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ email, password, _csrf: csrfFrom(page.text) });
}

describe('sign-in limits (issue 8 item 8)', () => {
  it('limits one account whatever addresses the guesses come from, behind a trusted proxy too', async () => {
    // A deployment that trusts its proxy on loopback: each request really has its own address.
    const behindProxy = createApp({ ...rt.web, config: { ...rt.web.config, TRUST_PROXY: 'loopback' } });
    const { email, password } = await deskUser({ roles: ['editor'] });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await attempt(behindProxy, email, `guess-${i}`, `203.0.113.${i + 1}`)).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const right = await attempt(behindProxy, email, password, '198.51.100.7');
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(1);
  }, 300_000);

  it('ignores X-Forwarded-For unless TRUST_PROXY names the peer', async () => {
    // The per-IP limiter counts under the client's address: without TRUST_PROXY a spoofed
    // header must not become that address.
    const ipKeys = async () =>
      (await rt.ctx.redis.keys(`${rt.ctx.keys.rateLimitPrefix('signin-ip')}*`)).join(' ');
    await attempt(rt.app, 'nobody-1@example.org', 'whatever-123', '192.0.2.77');
    expect(await ipKeys()).not.toContain('192.0.2.77');
    expect(await ipKeys()).toMatch(/127\.0\.0\.1/);
    const behindProxy = createApp({ ...rt.web, config: { ...rt.web.config, TRUST_PROXY: 'loopback' } });
    await attempt(behindProxy, 'nobody-2@example.org', 'whatever-123', '192.0.2.78');
    expect(await ipKeys()).toContain('192.0.2.78');
  });
});
