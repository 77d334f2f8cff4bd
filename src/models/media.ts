import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * Stored bytes, content-addressed: `_id` is the SHA-256 of the bytes (hex), so storing the same
 * bytes twice is one blob, and a blob's id is its strong ETag. Its bytes are in `MediaChunk`
 * documents `<blobId>:<n>`. The blob document is written last: a blob that has one is
 * complete, whatever happened to the process while the chunks were written.
 *
 * Why not GridFS: it works on the embedded store, but a GridFS read finds its chunks with
 * `{files_id}` sorted by `n`, which FerretDB's SQLite backend answers by scanning every chunk
 * of every file (measured: 1.1 s for a 600 kB file among 40). Chunks keyed by `_id` are point
 * lookups on both stores.
 */
const mediaBlobSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    contentType: { type: String, required: true },
    length: { type: Number, required: true, min: 1 },
    chunkSize: { type: Number, required: true, min: 1 },
    chunks: { type: Number, required: true, min: 1 },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export type MediaBlobDoc = InferSchemaType<typeof mediaBlobSchema> & { _id: string };
export const MediaBlob = mongoose.model('MediaBlob', mediaBlobSchema, 'media_blobs');

const mediaChunkSchema = new mongoose.Schema(
  { _id: { type: String, required: true }, data: { type: Buffer, required: true } },
  { versionKey: false },
);
export const MediaChunk = mongoose.model('MediaChunk', mediaChunkSchema, 'media_chunks');

/**
 * An uploaded picture. `_id` is derived from the original's bytes (see `mediaIdOf`), so the
 * same picture uploaded twice is one media item. Width and height are after EXIF orientation.
 * Per-language alt text and caption are not here: they belong to each language version
 * (`Release.image`), with the language-independent credit.
 */
const mediaSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    /** Blob of the original bytes as uploaded (kept, never served to readers). */
    original: { type: String, required: true },
    format: { type: String, required: true, enum: ['jpeg', 'png', 'webp', 'avif', 'gif'] },
    width: { type: Number, required: true, min: 1 },
    height: { type: Number, required: true, min: 1 },
    hasAlpha: { type: Boolean, default: false },
    bytes: { type: Number, required: true },
    filename: { type: String, maxlength: 255 },
    uploadedBy: { type: String },
  },
  { timestamps: true, versionKey: false },
);
export type MediaDoc = InferSchemaType<typeof mediaSchema> & { _id: string };
export const Media = mongoose.model('Media', mediaSchema, 'media');

/**
 * One derivative of a media item: `_id` `<mediaId>/<width>.<ext>`, pointing at its blob. Inserted
 * once (a concurrent second derivation of the same rendition loses harmlessly with E11000).
 */
const mediaRenditionSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    media: { type: String, required: true },
    blob: { type: String, required: true },
    contentType: { type: String, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    bytes: { type: Number, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export type MediaRenditionDoc = InferSchemaType<typeof mediaRenditionSchema> & { _id: string };
export const MediaRendition = mongoose.model('MediaRendition', mediaRenditionSchema, 'media_renditions');

/**
 * A picture the import downloaded: `_id` is the SHA-256 of its URL, `media` the item its bytes
 * became. A later import naming the same URL uses that item without downloading it again (an
 * archive's picture URLs do not change meaning; a new picture gets a new URL).
 */
const mediaSourceSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    media: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export type MediaSourceDoc = InferSchemaType<typeof mediaSourceSchema> & { _id: string };
export const MediaSource = mongoose.model('MediaSource', mediaSourceSchema, 'media_sources');
