import mongoose, { type InferSchemaType } from 'mongoose';

/** A piece of news, independent of language. Its versions are Releases, one per language. */
const storySchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    externalId: { type: String, required: true, maxlength: 200 },
    section: { type: String, required: true, default: 'news', match: /^[a-z0-9][a-z0-9-]{0,63}$/ },
    tags: { type: [{ type: String, maxlength: 100 }], default: [] },
    sourceLang: { type: String, required: true },
    firstPublishedAt: { type: Date },
    /** The press contact printed under every version (src/validation/contact.ts). */
    contact: {
      _id: false,
      type: {
        name: { type: String, maxlength: 200 },
        role: { type: String, maxlength: 200 },
        phone: { type: String, maxlength: 40 },
        email: { type: String, maxlength: 320 },
      },
    },
    /** Languages a coordinated release waits for before any version goes live (empty: none). */
    holdUntilLangs: { type: [String], default: [] },
    embargoUntil: { type: Date },
    /**
     * Came by import: translated into the languages it came with (or an editor asked for),
     * not fanned out to every configured language when its source changes.
     */
    imported: { type: Boolean },
    /** Hash of the import record last imported in full: a rerun skips the story when equal. */
    importHash: { type: String },
  },
  { timestamps: true, versionKey: false },
);

storySchema.index({ externalId: 1 }, { unique: true });

export type StoryDoc = InferSchemaType<typeof storySchema> & { _id: string };
export const Story = mongoose.model('Story', storySchema);
