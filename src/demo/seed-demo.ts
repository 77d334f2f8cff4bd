import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importStories } from '../commands/import-stories.js';
import { createUser } from '../commands/create-user.js';
import type { AppContext } from '../context.js';
import { parseImportFile } from '../import/parse-import-file.js';
import { requestTranslations } from '../commands/request-translations.js';
import { storyIdForExternal } from '../models/ids.js';
import { Story } from '../models/story.js';
import { User } from '../models/user.js';
import { ROOT } from '../paths.js';

/** Demo desk accounts; their passwords are printed at every start while demo content is on. */
export const DEMO_USERS = [
  {
    email: 'editor@example.org',
    name: 'Demo Editor',
    password: 'demo-editor-pass',
    roles: ['editor'] as const,
  },
  {
    email: 'translator@example.org',
    name: 'Demo Translator',
    password: 'demo-translator-pass',
    roles: ['translator'] as const,
  },
  {
    email: 'reviewer@example.org',
    name: 'Demo Reviewer',
    password: 'demo-reviewer-pass',
    roles: ['reviewer'] as const,
  },
  {
    email: 'admin@example.org',
    name: 'Demo Admin',
    password: 'demo-admin-pass',
    roles: ['admin', 'editor'] as const,
  },
];

/**
 * Seeds demo stories (src/demo/demo-stories.json) and demo users into an empty database.
 * Returns false when the database already had stories (nothing is touched then).
 */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  if ((await Story.estimatedDocumentCount()) > 0) return false;
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
  for (const u of DEMO_USERS) {
    if (await User.exists({ _id: u.email })) continue;
    const needsPairs = u.roles.some((r) => r === 'translator' || r === 'reviewer');
    await createUser({ ...u, roles: [...u.roles], pairs: needsPairs ? pairs : [] }, ctx.config.languages);
  }
  return true;
}
