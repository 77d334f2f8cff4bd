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
import { verifyPassword } from '../lib/passwords.js';
import { ROOT } from '../paths.js';

/**
 * Demo desk accounts. Outside production they get these known passwords (printed at every
 * start); in production they get random ones printed once, and never the admin role.
 */
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

/** E-mails of demo accounts that still sign in with their published demo password. */
export async function demoAccountsWithKnownPasswords(): Promise<string[]> {
  const found: string[] = [];
  for (const u of DEMO_USERS) {
    const user = await User.findById(u.email).lean();
    if (user && !user.disabled && (await verifyPassword(user.passwordHash, u.password))) found.push(u.email);
  }
  return found;
}

/** Production refuses to serve while anyone can sign in with a password printed in our README. */
export async function assertNoKnownPasswordsInProduction(ctx: AppContext): Promise<void> {
  if (!ctx.config.isProduction) return;
  const known = await demoAccountsWithKnownPasswords();
  if (known.length > 0) {
    throw new Error(
      `refusing to start in production: demo account(s) ${known.join(', ')} still have their published demo password; ` +
        `set a new one with 'newsroom user password --email E' or disable them with 'newsroom user disable --email E'`,
    );
  }
}
