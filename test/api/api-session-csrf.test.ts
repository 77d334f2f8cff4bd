import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { deskUser, signIn, tokenOf } from '../desk/desk-helpers.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

describe('API calls made with a desk session', () => {
  it('need the CSRF token to change state; reads do not', async () => {
    const { email, password } = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const agent = await signIn(rt.app, email, password);
    await agent.get('/api/v1/tasks?pair=ru:en').expect(200);
    const refused = await agent.post('/api/v1/tasks/claim').send({ pair: 'ru:en' }).expect(403);
    expect(refused.body.error.code).toBe('csrf_invalid');
    const token = await tokenOf(agent);
    await agent.post('/api/v1/tasks/claim').set('x-csrf-token', token).send({ pair: 'ru:en' }).expect(204);
  });

  it('answers an anonymous state change with 401, not a CSRF error', async () => {
    const res = await request(rt.app).post('/api/v1/tasks/claim').send({ pair: 'ru:en' });
    expect(res.status).toBe(401);
  });
});
