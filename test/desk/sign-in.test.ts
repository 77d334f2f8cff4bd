import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/middleware/session.js';
import { scanKeys } from '../../src/redis/keys.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { csrfFrom, deskUser, signIn, tokenOf } from './desk-helpers.js';

/** Every desk session in Redis (by SCAN). */
async function sessionKeys(): Promise<string[]> {
  const all: string[] = [];
  for await (const batch of scanKeys(rt.ctx.redis, `${rt.ctx.keys.sessionPrefix}*`)) all.push(...batch);
  return all;
}

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const sessionCookie = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`));

describe('desk sign-in', () => {
  it('sends an anonymous visitor to the sign-in page, remembering the target', async () => {
    const res = await request(rt.app).get('/desk/').expect(303);
    expect(res.headers.location).toBe('/desk/login?next=%2Fdesk%2F');
  });

  it('rejects a wrong password with 401 and a clear message, and sets no signed-in session', async () => {
    const { email } = await deskUser({ roles: ['translator'] });
    const agent = request.agent(rt.app);
    const page = await agent.get('/desk/login').set('Accept-Language', 'en').expect(200);
    const res = await agent
      .post('/desk/login')
      .set('Accept-Language', 'en')
      .type('form')
      .send({ email, password: 'wrong password!', _csrf: csrfFrom(page.text) })
      .expect(401);
    expect(res.text).toContain('The e-mail or the password is wrong');
    await agent.get('/desk/').expect(303);
  });

  it('treats an unknown e-mail like a wrong password', async () => {
    const agent = request.agent(rt.app);
    const page = await agent.get('/desk/login').expect(200);
    await agent
      .post('/desk/login')
      .type('form')
      .send({ email: 'nobody@example.org', password: 'whatever-123', _csrf: csrfFrom(page.text) })
      .expect(401);
  });

  it('signs in with the right password, regenerates the session and shows the dashboard', async () => {
    const { email, password } = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const agent = request.agent(rt.app);
    const page = await agent.get('/desk/login').expect(200);
    expect(sessionCookie(page)).toBeUndefined(); // an anonymous visit stores no session
    // Choosing a desk language stores an anonymous session: sign-in must not keep its id.
    const chosen = await agent
      .post('/desk/language')
      .type('form')
      .send({ lang: 'en', _csrf: csrfFrom(page.text) })
      .expect(303);
    const before = sessionCookie(chosen)!;
    expect(before).toBeDefined();
    const res = await agent
      .post('/desk/login')
      .type('form')
      .send({ email: email.toUpperCase(), password, next: '/desk/?x=1', _csrf: csrfFrom(page.text) })
      .expect(303);
    expect(res.headers.location).toBe('/desk/?x=1');
    const after = sessionCookie(res)!;
    expect(after.split(';')[0]).not.toBe(before.split(';')[0]); // no session fixation
    const dash = await agent.get('/desk/').set('Accept-Language', 'en').expect(200);
    expect(dash.text).toContain('Test Person');
    expect(dash.text).toContain('Claim next ru:en');
    expect(dash.headers['cache-control']).toBe('no-store');
  });

  it('never redirects to another site after sign-in', async () => {
    const { email, password } = await deskUser({ roles: ['editor'] });
    const agent = request.agent(rt.app);
    const page = await agent.get('/desk/login').expect(200);
    const res = await agent
      .post('/desk/login')
      .type('form')
      .send({ email, password, next: '//evil.example/desk', _csrf: csrfFrom(page.text) })
      .expect(303);
    expect(res.headers.location).toBe('/desk/');
  });

  it('issues an HttpOnly, SameSite=Lax session cookie stored in Redis with an expiry', async () => {
    const { email, password } = await deskUser({ roles: ['reviewer'] });
    const agent = request.agent(rt.app);
    const page = await agent.get('/desk/login').expect(200);
    const res = await agent
      .post('/desk/login')
      .type('form')
      .send({ email, password, _csrf: csrfFrom(page.text) })
      .expect(303);
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Expires=/);
    expect(cookie).not.toMatch(/Secure/i); // not production here; production sets Secure (see below)
    const sid = decodeURIComponent(cookie.split(';')[0].split('=')[1]).slice(2).split('.')[0];
    const stored = await rt.ctx.redis.get(rt.ctx.keys.session(sid));
    expect(JSON.parse(stored!).userId).toBe(email);
    const ttl = await rt.ctx.redis.ttl(rt.ctx.keys.session(sid));
    expect(ttl).toBeGreaterThan(60 * 60);
  });

  it('gives reader pages no session cookie', async () => {
    const res = await request(rt.app).get('/ru/');
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('signs out: the session is gone from Redis and the desk asks to sign in again', async () => {
    const { email, password } = await deskUser({ roles: ['translator'] });
    const agent = await signIn(rt.app, email, password);
    const before = await sessionKeys();
    const token = await tokenOf(agent);
    await agent.post('/desk/logout').type('form').send({ _csrf: token }).expect(303);
    await agent.get('/desk/').expect(303);
    const after = await sessionKeys();
    expect(after.length).toBe(before.length - 1);
  });

  it('makes an account wait after 5 failed attempts, even with the right password', async () => {
    const { email, password } = await deskUser({ roles: ['translator'] });
    const agent = request.agent(rt.app);
    const page = await agent.get('/desk/login').expect(200);
    const _csrf = csrfFrom(page.text);
    for (let i = 0; i < 5; i++) {
      await agent
        .post('/desk/login')
        .type('form')
        .send({ email, password: `guess-${i}`, _csrf })
        .expect(401);
    }
    // The 5th failure starts a wait (30 s, doubling with each further failure, up to 15 min).
    const res = await agent
      .post('/desk/login')
      .set('Accept-Language', 'en')
      .type('form')
      .send({ email, password, _csrf })
      .expect(429);
    expect(res.text).toContain('Too many failed sign-in attempts');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(1);
    // Another account from the same address is not held up by this one's failures.
    const other = await deskUser({ roles: ['translator'] });
    await agent
      .post('/desk/login')
      .type('form')
      .send({ ...other, _csrf })
      .expect(303);
  });
});

describe('desk CSRF protection', () => {
  it('refuses a sign-in form without a token with a 403 page that says what to do', async () => {
    const { email, password } = await deskUser({ roles: ['editor'] });
    const agent = request.agent(rt.app);
    await agent.get('/desk/login').expect(200);
    const res = await agent
      .post('/desk/login')
      .set('Accept-Language', 'en')
      .type('form')
      .send({ email, password })
      .expect(403);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('reload the page and try again');
    await agent.get('/desk/').expect(303); // not signed in
  });

  it('refuses a signed-in state change without a token, or with a token of another session', async () => {
    const a = await deskUser({ roles: ['translator'] });
    const b = await deskUser({ roles: ['translator'] });
    const agentA = await signIn(rt.app, a.email, a.password);
    const agentB = await signIn(rt.app, b.email, b.password);
    await agentA.post('/desk/logout').type('form').send({}).expect(403);
    const tokenOfB = await tokenOf(agentB);
    await agentA.post('/desk/logout').type('form').send({ _csrf: tokenOfB }).expect(403);
    await agentA.get('/desk/').expect(200); // still signed in
    await agentA
      .post('/desk/logout')
      .type('form')
      .send({ _csrf: await tokenOf(agentA) })
      .expect(303);
  });

  it('accepts the token in the x-csrf-token header', async () => {
    const a = await deskUser({ roles: ['translator'] });
    const agent = await signIn(rt.app, a.email, a.password);
    const token = await tokenOf(agent);
    await agent
      .post('/desk/language')
      .set('x-csrf-token', token)
      .type('form')
      .send({ lang: 'en' })
      .expect(303);
    const dash = await agent.get('/desk/').expect(200);
    expect(dash.text).toContain('<html lang="en"');
  });

  it('rejects an unknown interface language with 400', async () => {
    const agent = request.agent(rt.app);
    const token = csrfFrom((await agent.get('/desk/login')).text);
    const res = await agent
      .post('/desk/language')
      .type('form')
      .send({ lang: 'xx', _csrf: token })
      .expect(400);
    expect(res.text).toContain('configured languages');
  });
});
