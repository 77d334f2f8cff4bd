import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importStories } from '../commands/import-stories.js';
import { createUser } from '../commands/create-user.js';
import type { AppContext } from '../context.js';
import { parseImportFile } from '../import/parse-import-file.js';
import { requestTranslations } from '../commands/request-translations.js';
import { storyIdForExternal } from '../models/ids.js';
import { Story } from '../models/story.js';
import { User, type Role } from '../models/user.js';
import { DEMO_USERS } from './demo-accounts.js';
import { ROOT } from '../paths.js';

export interface SeededUser {
  email: string;
  roles: Role[];
  password: string;
}

/**
 * Seeds demo stories (src/demo/demo-stories.json) and demo users into an empty database.
 * Returns undefined when the database already had stories (nothing is touched then), else
 * the users it created with their passwords.
 */
export async function seedDemo(ctx: AppContext): Promise<SeededUser[] | undefined> {
  if ((await Story.estimatedDocumentCount()) > 0) return undefined;
  const text = readFileSync(join(ROOT, 'src/demo/demo-stories.json'), 'utf8');
  const { stories } = parseImportFile(text, ctx.config.languages);
  await importStories(ctx, stories);
  // Stories that came without an English version get an English task, so translators have
  // work on first start and readers see "translation in progress".
  const editor = { id: 'demo-seed', name: 'Demo seed', roles: ['editor' as const], pairs: [] };
  for (const story of stories.filter((s) => !s.versions.en && s.publishedAt)) {
    if (ctx.config.pivots.en)
      await requestTranslations(ctx, editor, storyIdForExternal(story.externalId), { langs: ['en'] });
  }
  const pairs = ctx.config.languages
    .filter((l) => l !== ctx.config.sourceLanguage)
    .map((l) => `${ctx.config.pivots[l]}:${l}`);
  const created: SeededUser[] = [];
  for (const u of DEMO_USERS) {
    if (await User.exists({ _id: u.email })) continue;
    const production = ctx.config.isProduction;
    const roles: Role[] = production ? u.roles.filter((r) => r !== 'admin') : [...u.roles];
    const password = production ? randomBytes(18).toString('base64url') : u.password;
    const needsPairs = roles.some((r) => r === 'translator' || r === 'reviewer');
    await createUser({ ...u, password, roles, pairs: needsPairs ? pairs : [] }, ctx.config.languages, {
      checkStrength: false,
    });
    created.push({ email: u.email, roles, password });
  }
  return created;
}
