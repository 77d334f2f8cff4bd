import mongoose, { type InferSchemaType } from 'mongoose';

export const RELEASE_STATUSES = ['draft', 'scheduled', 'published', 'archived', 'withdrawn'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/**
 * How a change to a published release is shown: a correction ("Corrected on …: note", marked in
 * feeds), a visible update ("Updated on …") or a silent update. Chosen by the editor.
 */
export const CHANGE_KINDS = ['correction', 'update', 'silent'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
/** One story in one language: what readers and feeds see. `_id` is `<storyId>.<lang>`. */
const releaseSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    story: { type: String, required: true, ref: 'Story' },
    lang: { type: String, required: true },
    slug: { type: String, required: true, maxlength: 200, match: /^[a-z0-9]+(?:-[a-z0-9]+)*$/ },
    title: { type: String, required: true, minlength: 1, maxlength: 500 },
    /** Plain text (derived from `leadHtml` when that is set): meta, structured data, feeds, search. */
    lead: { type: String, default: '', maxlength: 2000 },
    /** The lead's sanitised inline HTML (lib/lead-html.ts), only when it has markup. */
    leadHtml: { type: String, maxlength: 20_000 },
    /** Sanitised HTML (see lib/sanitize-html.ts); never store unsanitised input here. */
    body: { type: String, required: true },
    status: { type: String, enum: RELEASE_STATUSES, required: true, default: 'draft' },
    /** A translation whose source changed after it was translated; still shown, with a notice. */
    outdated: { type: Boolean, default: false },
    revision: { type: Number, required: true, default: 1, min: 1 },
    /** For a translation: the language and revision of the release it was translated from. */
    translatedFrom: { type: String },
    sourceRevision: { type: Number },
    /** Copied from the story so listings and feeds need no second lookup. */
    section: { type: String, required: true, default: 'news' },
    tags: { type: [String], default: [] },
    publishedAt: { type: Date },
    scheduledAt: { type: Date },
    /** When the text was last corrected after publication; absent if never. */
    correctedAt: { type: Date },
    /** When the text last changed after publication with a visible "Updated" mark. */
    updateNotedAt: { type: Date },
    /** Corrections and visible updates readers see, oldest first. */
    changeNotes: {
      type: [{ _id: false, kind: { type: String, enum: CHANGE_KINDS }, at: Date, note: String }],
      default: [],
    },
    /** Set while `status` is `withdrawn`: when, why, and where its URL now leads (a language). */
    withdrawal: {
      _id: false,
      type: { at: Date, by: String, note: String, redirectTo: String },
    },
    people: {
      type: [{ _id: false, userId: String, name: String, role: String, at: Date }],
      default: [],
    },
    /**
     * The lead picture as this language shows it: the media item and its size, the
     * language-independent credit, and this language's alt text and caption.
     */
    image: {
      _id: false,
      type: {
        media: { type: String, required: true, match: /^[0-9a-f]{32}$/ },
        width: { type: Number, required: true },
        height: { type: Number, required: true },
        hasAlpha: { type: Boolean, default: false },
        alt: { type: String, default: '', maxlength: 1000 },
        caption: { type: String, default: '', maxlength: 2000 },
        credit: { type: String, default: '', maxlength: 300 },
      },
    },
    /** Former slugs in this language; their routes answer 301 to the current one. */
    slugHistory: { type: [String], default: [] },
    /** Hash of title, lead and body, so an unchanged re-import or save is a no-op. */
    contentHash: { type: String, required: true },
    /** Hash of everything a write can change, so a repeated write is recognised as a no-op. */
    stateHash: { type: String },
  },
  { timestamps: true, versionKey: false },
);

releaseSchema.index({ story: 1, lang: 1 }, { unique: true });
releaseSchema.index({ lang: 1, slug: 1 }, { unique: true });
releaseSchema.index({ lang: 1, status: 1, publishedAt: -1, _id: 1 });

export type ReleaseDoc = InferSchemaType<typeof releaseSchema> & { _id: string };
export const Release = mongoose.model('Release', releaseSchema);
