import { z } from 'zod';
import { zIsoDate } from '../../validation/dates.js';
import { RELEASE_STATUSES } from '../../models/release.js';

/** Checkbox and comma-list helpers: HTML forms send strings, the commands want typed values. */
const checkbox = z.preprocess((v) => v === 'on' || v === '1' || v === 'true', z.boolean());
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const list = z.preprocess(
  (v) => (Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : []),
  z.array(z.string()),
);
const commaList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  z.array(z.string()),
);
const optionalInt = z.preprocess(
  (v) => (v === '' || v === undefined ? undefined : Number(v)),
  z.number().int().optional(),
);
const optionalDate = z.preprocess((v) => (v === '' || v === undefined ? undefined : v), zIsoDate.optional());

/** The "new story" form, mapped onto the createStory command's input. */
export const NewStoryForm = z.object({
  title: z.string(),
  lead: optionalText,
  body: z.string(),
  section: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  tags: commaList,
  publish: checkbox,
  targets: list,
  priority: optionalInt,
  dueAt: optionalDate,
});

/** The source-release edit form, mapped onto the editRelease command's input. */
export const EditReleaseForm = z.object({
  baseRevision: z.coerce.number().int().min(0),
  title: z.string(),
  lead: z.string().default(''),
  body: z.string(),
  status: z.enum(RELEASE_STATUSES),
  note: optionalText,
});

/** The "request translations" form, mapped onto the requestTranslations command's input. */
export const RequestTranslationsForm = z.object({
  langs: list,
  priority: optionalInt,
  dueAt: optionalDate,
  force: checkbox,
});

/** A zod error as one sentence a person can act on. */
export const formProblem = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
