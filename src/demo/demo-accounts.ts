import type { AppContext } from '../context.js';
import { verifyPassword } from '../lib/passwords.js';
import { User } from '../models/user.js';

// Apart from the seeding (`seed-demo.ts`): the web process checks these at every start, and
// the seeding's import machinery (parsers, schemas) has no business in its memory.

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
