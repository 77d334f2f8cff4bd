import { z } from 'zod';
import { badRequest, conflict, isDuplicateKey, notFound } from '../errors.js';
import { assertStrongPassword } from '../lib/password-strength.js';
import { hashPassword } from '../lib/passwords.js';
import { ROLES, User, type UserDoc } from '../models/user.js';

export const NewPassword = z.string().min(10, 'must be at least 10 characters').max(200);

export const CreateUserInput = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  password: NewPassword,
  roles: z.array(z.enum(ROLES)).min(1),
  pairs: z.array(z.string().regex(/^[a-z]{2,3}:[a-z]{2,3}$/, "must look like 'ru:en'")).default([]),
});
export type CreateUserInput = z.input<typeof CreateUserInput>;

export interface PasswordOptions {
  /** Refuse common and guessable passwords (default). Off only for generated ones. */
  checkStrength?: boolean;
}

/** Creates a desk user with an argon2id password hash; the e-mail (lower-cased) is the id. */
export async function createUser(
  input: CreateUserInput,
  languages: string[],
  opts: PasswordOptions = {},
): Promise<UserDoc> {
  const parsed = CreateUserInput.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw badRequest('invalid_user', `${i.path.join('.') || 'user'}: ${i.message}`);
  }
  const u = parsed.data;
  for (const pair of u.pairs) {
    const [from, to] = pair.split(':');
    if (!languages.includes(from) || !languages.includes(to) || from === to) {
      throw badRequest(
        'invalid_pair',
        `Language pair '${pair}' needs two different configured languages (${languages.join(', ')})`,
      );
    }
  }
  const email = u.email.toLowerCase();
  if (opts.checkStrength !== false) await assertStrongPassword(u.password, [email, u.name]);
  try {
    const doc = await User.create({
      _id: email,
      email,
      name: u.name,
      passwordHash: await hashPassword(u.password),
      roles: u.roles,
      pairs: u.pairs,
    });
    return doc.toObject() as UserDoc;
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('user_exists', `A user with e-mail ${email} already exists`);
    throw err;
  }
}

/** Replaces a user's password (checked like a new account's). */
export async function setUserPassword(email: string, password: string, opts: PasswordOptions = {}) {
  const parsed = NewPassword.safeParse(password);
  if (!parsed.success) throw badRequest('invalid_user', `password: ${parsed.error.issues[0].message}`);
  const user = await User.findById(email.toLowerCase()).lean<UserDoc>();
  if (!user) throw notFound('user_not_found', `No user ${email}`);
  if (opts.checkStrength !== false) await assertStrongPassword(password, [user.email, user.name]);
  await User.updateOne({ _id: user._id }, { $set: { passwordHash: await hashPassword(password) } });
}

/** Stops a user from signing in; their sessions end at their next request. */
export async function disableUser(email: string) {
  const res = await User.updateOne({ _id: email.toLowerCase() }, { $set: { disabled: true } });
  if (res.matchedCount === 0) throw notFound('user_not_found', `No user ${email}`);
}
