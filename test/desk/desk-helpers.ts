import request from 'supertest';
import type { Express } from 'express';
import { createUser, type CreateUserInput } from '../../src/commands/create-user.js';
import { writeRelease } from '../../src/commands/write-release.js';
import type { AppContext } from '../../src/context.js';
import { newStoryId } from '../../src/models/ids.js';
import type { TaskDoc } from '../../src/models/translation-task.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';

/** A desk user with a known password; e-mail made unique per call. */
export async function deskUser(
  overrides: Partial<CreateUserInput> & { roles: CreateUserInput['roles'] },
  languages = ['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg'],
) {
  const email =
    overrides.email ?? `${overrides.roles.join('-')}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const password = overrides.password ?? 'correct horse battery';
  await createUser({ name: 'Test Person', pairs: [], ...overrides, email, password }, languages);
  return { email: email.toLowerCase(), password };
}

/** The value of the hidden `_csrf` field in an HTML page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1];
}

/** Signs in through the real form (GET for the token, POST with it) and returns the cookie agent. */
export async function signIn(app: Express, email: string, password: string) {
  const agent = request.agent(app);
  const page = await agent.get('/desk/login').expect(200);
  const res = await agent
    .post('/desk/login')
    .type('form')
    .send({ email, password, _csrf: csrfFrom(page.text) });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  return agent;
}

/** GETs a desk page and returns its CSRF token, for the next POST of the same agent. */
export async function tokenOf(agent: ReturnType<typeof request.agent>, path = '/desk/') {
  const page = await agent.get(path).expect(200);
  return csrfFrom(page.text);
}

/** A published Russian release and its open translation task into `to`. */
export async function openTranslationTask(ctx: AppContext, to: string): Promise<TaskDoc> {
  const storyId = newStoryId();
  await writeRelease({
    storyId,
    lang: 'ru',
    title: 'Заседание комитета',
    body: '<p>Заседание пройдёт 27 июня 2019 года.</p>',
    status: 'published',
    section: 'news',
    tags: [],
  });
  const outcome = await prepareTranslationTask(ctx, { storyId, from: 'ru', to });
  if (!('task' in outcome)) throw new Error(`no task: ${outcome.status}`);
  return outcome.task;
}
