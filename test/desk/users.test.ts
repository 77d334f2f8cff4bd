import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditEntry } from '../../src/models/audit-entry.js';
import { User } from '../../src/models/user.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { csrfFrom, deskUser, signIn, tokenOf } from './desk-helpers.js';

const run = promisify(execFile);
// Real jobs through the outbox and BullMQ on a shared machine: allow them time.
vi.setConfig({ testTimeout: 300_000 });

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

async function admin() {
  const a = await deskUser({ roles: ['admin'] });
  return { ...a, agent: await signIn(rt.app, a.email, a.password) };
}

const secretOf = (html: string) => {
  const m = /\/desk\/password\/([A-Za-z0-9_-]+)/.exec(html);
  if (!m) throw new Error('no one-time link on the page');
  return m[1];
};

describe('/desk/users', () => {
  it('is for admins only, and every change needs the form token', async () => {
    const editor = await deskUser({ roles: ['editor'] });
    const agent = await signIn(rt.app, editor.email, editor.password);
    const page = await agent.get('/desk/users').set('Accept-Language', 'en').expect(403);
    expect(page.text).toContain('class="desk-error"');
    const token = await tokenOf(agent);
    await agent
      .post('/desk/users')
      .type('form')
      .send({ _csrf: token, email: 'forged@example.org', name: 'Forged', roles: 'admin' })
      .expect(403);
    await agent.get('/desk/audit').expect(403);
    expect(await User.findById('forged@example.org').lean()).toBeNull();

    const { agent: adminAgent } = await admin();
    await adminAgent
      .post('/desk/users')
      .type('form')
      .send({ email: 'no-token@example.org', name: 'No token', roles: 'translator' })
      .expect(403);
    expect(await User.findById('no-token@example.org').lean()).toBeNull();
  });

  it('adds a translator with a pair, who sets a password by a one-time link; disabling stops them at once', async () => {
    const { agent, email: adminEmail } = await admin();
    const form = await agent.get('/desk/users/new').set('Accept-Language', 'en').expect(200);
    const added = await agent
      .post('/desk/users')
      .set('Accept-Language', 'en')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        email: 'Nora.Translator@example.org',
        name: 'Nora',
        roles: 'translator',
        pairs: 'ru:hy',
      })
      .expect(303);
    expect(added.headers.location).toBe('/desk/users/nora.translator%40example.org');
    const shown = await agent.get(added.headers.location).set('Accept-Language', 'en').expect(200);
    const secret = secretOf(shown.text);
    // Shown once: a reload no longer has it.
    const again = await agent.get(added.headers.location).expect(200);
    expect(again.text).not.toContain(secret);
    expect(await User.findById('nora.translator@example.org').lean()).toMatchObject({
      roles: ['translator'],
      pairs: ['ru:hy'],
    });

    // The new user sets a password with the link (signed out), once.
    const nora = request.agent(rt.app);
    const pwPage = await nora.get(`/desk/password/${secret}`).set('Accept-Language', 'en').expect(200);
    const mismatch = await nora
      .post(`/desk/password/${secret}`)
      .set('Accept-Language', 'en')
      .type('form')
      .send({ _csrf: csrfFrom(pwPage.text), password: 'a new long password', confirm: 'different one!' })
      .expect(400);
    expect(mismatch.text).toContain('The two passwords differ');
    await nora
      .post(`/desk/password/${secret}`)
      .type('form')
      .send({ _csrf: csrfFrom(pwPage.text), password: 'a new long password', confirm: 'a new long password' })
      .expect(303);
    await nora.get(`/desk/password/${secret}`).expect(410);
    const noraDesk = await signIn(rt.app, 'nora.translator@example.org', 'a new long password');
    await noraDesk.get('/desk/').expect(200);

    // An API token for Nora, shown once; it works until revoked or the account is disabled.
    const userPage = await agent.get(added.headers.location).expect(200);
    await agent
      .post(`${added.headers.location}/tokens`)
      .type('form')
      .send({ _csrf: csrfFrom(userPage.text) })
      .expect(303);
    const tokenPage = await agent.get(added.headers.location).expect(200);
    const token = /<code class="secret" data-secret>(nrt_[A-Za-z0-9_-]+)<\/code>/.exec(tokenPage.text)![1];
    await request(rt.app).get('/api/v1/stats').set('Authorization', `Bearer ${token}`).expect(200);

    // Disabled: Nora's very next desk request and API call fail.
    await agent
      .post(`${added.headers.location}/disable`)
      .type('form')
      .send({ _csrf: csrfFrom(tokenPage.text) })
      .expect(303);
    const next = await noraDesk.get('/desk/');
    expect(next.status).toBe(303);
    expect(next.headers.location).toMatch(/^\/desk\/login/);
    await request(rt.app).get('/api/v1/stats').set('Authorization', `Bearer ${token}`).expect(401);

    // Re-enabled: the token works again, the old session does not (the epoch moved on).
    const disabledPage = await agent.get(added.headers.location).set('Accept-Language', 'en').expect(200);
    expect(disabledPage.text).toContain('Re-enable the account');
    await agent
      .post(`${added.headers.location}/enable`)
      .type('form')
      .send({ _csrf: csrfFrom(disabledPage.text) })
      .expect(303);
    await request(rt.app).get('/api/v1/stats').set('Authorization', `Bearer ${token}`).expect(200);
    expect((await noraDesk.get('/desk/')).status).toBe(303);

    // Revoked: the token stops.
    const enabledPage = await agent.get(added.headers.location).expect(200);
    await agent
      .post(`${added.headers.location}/tokens/revoke`)
      .type('form')
      .send({ _csrf: csrfFrom(enabledPage.text), prefix: token.slice(0, 10) })
      .expect(303);
    await request(rt.app).get('/api/v1/stats').set('Authorization', `Bearer ${token}`).expect(401);

    // Roles and pairs change; the admin cannot lock themselves out.
    await agent
      .post(added.headers.location)
      .type('form')
      .send({
        _csrf: csrfFrom(enabledPage.text),
        name: 'Nora A.',
        roles: ['translator', 'reviewer'],
        pairs: 'ru:hy, ru:en',
      })
      .expect(303);
    expect(await User.findById('nora.translator@example.org').lean()).toMatchObject({
      name: 'Nora A.',
      roles: ['translator', 'reviewer'],
      pairs: ['ru:hy', 'ru:en'],
    });
    const self = await agent
      .post(`/desk/users/${encodeURIComponent(adminEmail)}/disable`)
      .set('Accept-Language', 'en')
      .type('form')
      .send({ _csrf: csrfFrom(enabledPage.text) })
      .expect(409);
    expect(self.text).toContain('You cannot disable yourself');

    // The audit log has it all, newest first, filterable.
    const actions = (await AuditEntry.find({ target: 'nora.translator@example.org' }).lean()).map(
      (e) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'user.create',
        'user.password-reset',
        'token.issue',
        'user.disable',
        'user.enable',
        'token.revoke',
        'user.roles',
      ]),
    );
    const audit = await agent.get('/desk/audit?action=token.revoke').set('Accept-Language', 'en').expect(200);
    expect(audit.text).toContain('API token revoked');
    expect(audit.text).toContain('nora.translator@example.org');
    const signIns = await agent.get('/desk/audit?action=auth.sign-in').expect(200);
    expect(signIns.text).toContain('nora.translator@example.org');
  });

  it('records failed sign-ins; a password reset ends older sessions', async () => {
    const { agent } = await admin();
    const victim = await deskUser({ roles: ['reviewer'], pairs: ['ru:en'] });
    const session = await signIn(rt.app, victim.email, victim.password);
    const login = request.agent(rt.app);
    const form = await login.get('/desk/login').expect(200);
    await login
      .post('/desk/login')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email: victim.email, password: 'wrong password!' })
      .expect(401);
    expect(
      await AuditEntry.findOne({ action: 'auth.sign-in-failed', actor: victim.email }).lean(),
    ).toBeTruthy();

    const page = await agent.get(`/desk/users/${encodeURIComponent(victim.email)}`).expect(200);
    await agent
      .post(`/desk/users/${encodeURIComponent(victim.email)}/password-link`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const secret = secretOf((await agent.get(`/desk/users/${encodeURIComponent(victim.email)}`)).text);
    await session.get('/desk/').expect(200); // the link alone changes nothing
    const reset = request.agent(rt.app);
    const pw = await reset.get(`/desk/password/${secret}`).expect(200);
    await reset
      .post(`/desk/password/${secret}`)
      .type('form')
      .send({ _csrf: csrfFrom(pw.text), password: 'brand new password', confirm: 'brand new password' })
      .expect(303);
    expect((await session.get('/desk/')).status).toBe(303);
    await signIn(rt.app, victim.email, 'brand new password');
  });
});

describe('the user CLI', () => {
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/bin/newsroom.ts', ...args], {
      env: { ...process.env, ...rt.env },
      timeout: 120_000,
    });

  it('lists, edits, disables and makes a reset link', async () => {
    const u = await deskUser({ email: 'cli-user@example.org', roles: ['translator'], pairs: ['ru:en'] });
    const listed = await cli('user', 'list', '--role', 'translator');
    expect(listed.stdout).toMatch(/cli-user@example\.org\tTest Person\ttranslator\tru:en\tactive/);
    const edited = await cli('user', 'edit', '--email', u.email, '--role', 'reviewer', '--pair', 'ru:kk');
    expect(edited.stdout).toContain('roles reviewer; pairs ru:kk');
    await cli('user', 'disable', '--email', u.email);
    expect((await User.findById(u.email).lean())!.disabled).toBe(true);
    const disabled = await cli('user', 'list', '--disabled');
    expect(disabled.stdout).toContain('cli-user@example.org');
    const link = await cli('user', 'reset-password', '--email', u.email);
    expect(link.stdout).toMatch(/\/desk\/password\/[A-Za-z0-9_-]{40,}/);
    const bad = await cli('user', 'edit', '--email', 'nobody@example.org', '--role', 'editor').catch(
      (e) => e,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('No user nobody@example.org');
  }, 600_000);
});
