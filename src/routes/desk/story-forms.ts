import { z } from 'zod';
import { zIsoDate } from '../../validation/dates.js';
import { fromZonedLocal } from '../../lib/zoned-time.js';
import { CHANGE_KINDS } from '../../models/release.js';
import { checkedValues, separatedList } from './form-fields.js';

/** Checkbox and comma-list helpers: HTML forms send strings, the commands want typed values. */
const checkbox = z.preprocess((v) => v === 'on' || v === '1' || v === 'true', z.boolean());
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const optionalInt = z.preprocess(
  (v) => (v === '' || v === undefined ? undefined : Number(v)),
  z.number().int().optional(),
);
const optionalDate = z.preprocess((v) => (v === '' || v === undefined ? undefined : v), zIsoDate.optional());

/** The press contact's fields (partial `press-contact-fields`), as the commands take them. */
const contactFields = {
  contactName: optionalText,
  contactRole: optionalText,
  contactPhone: optionalText,
  contactEmail: optionalText,
};
const toContact = <T extends { [K in keyof typeof contactFields]?: string }>(f: T) => ({
  name: f.contactName,
  role: f.contactRole,
  phone: f.contactPhone,
  email: f.contactEmail,
});

/** The story page's press contact form. */
export const ContactForm = z.object(contactFields).transform(toContact);

/**
 * The forms' `lead` field holds inline HTML (the lead editor's, or typed into the textarea
 * without JavaScript): the commands take it as `leadHtml`.
 */
const asLeadHtml = <T extends { lead?: string }>({ lead, ...rest }: T) => ({ ...rest, leadHtml: lead });

/** The "new story" form, mapped onto the createStory command's input. */
export const NewStoryForm = z
  .object({
    title: z.string(),
    lead: optionalText,
    body: z.string(),
    section: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
    tags: separatedList(/,/),
    publish: checkbox,
    targets: checkedValues,
    priority: optionalInt,
    dueAt: optionalDate,
    ...contactFields,
  })
  .transform(asLeadHtml);

/** The new-story form's press contact, for createStory. */
export const newStoryContact = (f: z.infer<typeof NewStoryForm>) => toContact(f);

/** A `datetime-local` value, read on the newsroom's wall clock (the desk shows times in its zone). */
export const zonedTime = (timeZone: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : v),
    z
      .string()
      .max(40)
      .transform((v, c) => {
        const d = fromZonedLocal(v, timeZone);
        if (!d) c.addIssue({ code: 'custom', message: 'not a date and time' });
        return d ?? new Date(NaN);
      })
      .optional(),
  );

/** A language version's edit form, mapped onto the editRelease command's input. */
export const editReleaseForm = (timeZone: string) =>
  z
    .object({
      baseRevision: z.coerce.number().int().min(0),
      title: z.string(),
      lead: z.string().default(''),
      body: z.string(),
      status: z.enum(['draft', 'scheduled', 'published']),
      publishAt: zonedTime(timeZone),
      confirmPast: checkbox,
      change: z.preprocess((v) => (v === '' ? undefined : v), z.enum(CHANGE_KINDS).optional()),
      changeNote: optionalText,
      note: optionalText,
    })
    .transform(asLeadHtml);

/** Reschedule (a new time) or cancel a scheduled version. */
export const scheduleForm = (timeZone: string) =>
  z.object({
    baseRevision: z.coerce.number().int().min(1),
    action: z.enum(['reschedule', 'cancel']),
    at: zonedTime(timeZone),
    confirmPast: checkbox,
  });

/** Coordinated release: hold until languages are approved and/or until a time; or lift. */
export const holdForm = (timeZone: string) =>
  z.object({
    action: z.enum(['hold', 'lift']),
    langs: checkedValues,
    embargoUntil: zonedTime(timeZone),
  });

/** Withdraw a version (or `all`), saying what happens to translations of the original. */
export const WithdrawForm = z.object({
  lang: z.string().min(2).max(20),
  translations: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['withdraw', 'keep']).optional()),
  redirectTo: optionalText,
  note: optionalText,
});

/** The "request translations" form, mapped onto the requestTranslations command's input. */
export const RequestTranslationsForm = z.object({
  langs: checkedValues,
  priority: optionalInt,
  dueAt: optionalDate,
  force: checkbox,
});

/** A zod error as one sentence a person can act on. */
export const formProblem = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
