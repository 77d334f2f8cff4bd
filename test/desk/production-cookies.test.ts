import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/middleware/session.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { csrfFrom } from './desk-helpers.js';

// A file of its own: one runtime (one Mongoose connection) per test process.
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({
    NODE_ENV: 'production',
    SESSION_SECRET: 'p'.repeat(40),
    TRUST_PROXY: 'loopback',
  });
});
afterAll(async () => {
  await rt?.close();
});

const cookies = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []);

describe('desk cookies in production', () => {
  it('marks the session cookie Secure and the CSRF cookie __Host- and Secure', async () => {
    // Behind a TLS-terminating proxy on loopback (trust proxy), as in production.
    const page = await request(rt.app).get('/desk/login').set('X-Forwarded-Proto', 'https').expect(200);
    const csrfCookie = cookies(page).find((c) => c.startsWith('__Host-newsroom.csrf='))!;
    // The anonymous page stores no session; choosing a language does. (The test client keeps
    // no Secure cookie over plain HTTP, so the CSRF cookie is sent back by hand.)
    const chosen = await request(rt.app)
      .post('/desk/language')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', csrfCookie.split(';')[0])
      .type('form')
      .send({ lang: 'en', _csrf: csrfFrom(page.text) })
      .expect(303);
    const session = cookies(chosen).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const csrf = cookies(page).find((c) => c.startsWith('__Host-newsroom.csrf='));
    expect(csrf).toMatch(/; Secure/i);
    expect(csrf).toMatch(/HttpOnly/i);
  });
});
