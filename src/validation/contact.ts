import { z } from 'zod';

/** A telephone number as people write it: digits with spaces, dots, hyphens, brackets, a leading +. */
export const PHONE_PATTERN = /^\+?[0-9(][0-9 ().-]{2,38}[0-9]$/;

/**
 * The press contact printed under a story (the desk and the API; the import file says the
 * same in `src/import/import.schema.json`). Language-independent, like a picture's credit.
 */
/** A field left empty (or blank) is a field not given. */
const field = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

export const zContact = z
  .object({
    name: field(z.string().trim().max(200)),
    /** What the person is, e.g. "Press secretary". */
    role: field(z.string().trim().max(200)),
    phone: field(
      z.string().trim().max(40).regex(PHONE_PATTERN, "must be a telephone number such as '+7 495 123-45-67'"),
    ),
    email: field(z.string().trim().max(320).email('must be an e-mail address')),
  })
  .strict();
export type Contact = z.infer<typeof zContact>;

/** A contact as stored (Mongoose gives absent fields as null). */
export type StoredContact = { [K in keyof Contact]?: string | null };

/** The contact without its empty fields, or undefined when nothing is left. */
export function compactContact(c: StoredContact | null | undefined): Contact | undefined {
  if (!c) return undefined;
  const kept = Object.fromEntries(Object.entries(c).filter(([, v]) => typeof v === 'string' && v !== ''));
  return Object.keys(kept).length ? (kept as Contact) : undefined;
}

/** A `tel:` URI of a written number: the digits and a leading + (RFC 3966 global number). */
export const telHref = (phone: string) => `tel:${phone.replace(/[^0-9+]/g, '')}`;
