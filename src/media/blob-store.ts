import { createHash } from 'node:crypto';
import { retryWhenBusy } from '../db/retry-when-busy.js';
import { isDuplicateKey } from '../errors.js';
import { MediaBlob, MediaChunk, type MediaBlobDoc } from '../models/media.js';

/** Below MongoDB's 16 MB document limit, and small enough for the embedded store's JSON rows. */
export const CHUNK_BYTES = 255 * 1024;

export const blobIdOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Inserts a document by `_id`; one that is already there (same content) is fine. */
export async function insertOnce(create: () => Promise<unknown>): Promise<void> {
  try {
    await retryWhenBusy(create);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * Stores bytes under their SHA-256 and returns the id. Chunks first, the blob document last (the
 * commit mark): a crash in between leaves only unreferenced chunks, which a retry of the same
 * bytes completes. Storing bytes that are already stored writes nothing.
 */
export async function putBlob(bytes: Buffer, contentType: string): Promise<string> {
  const id = blobIdOf(bytes);
  if (await MediaBlob.exists({ _id: id })) return id;
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  for (let n = 0; n < chunks; n++) {
    const data = bytes.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES);
    await insertOnce(() => MediaChunk.create({ _id: `${id}:${n}`, data }));
  }
  await insertOnce(() =>
    MediaBlob.create({ _id: id, contentType, length: bytes.length, chunkSize: CHUNK_BYTES, chunks }),
  );
  return id;
}

/** A blob's bytes, or null when there is no (complete) blob of that id. Every read is by `_id`. */
export async function readBlob(id: string): Promise<{ blob: MediaBlobDoc; bytes: Buffer } | null> {
  const blob = await MediaBlob.findById(id).lean<MediaBlobDoc>();
  if (!blob) return null;
  const parts: Buffer[] = [];
  for (let n = 0; n < blob.chunks; n++) {
    const chunk = await MediaChunk.findById(`${id}:${n}`).lean<{ data: { buffer: Buffer } | Buffer }>();
    if (!chunk) throw new Error(`media blob ${id} lacks chunk ${n}`);
    const data = chunk.data;
    parts.push(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer));
  }
  const bytes = Buffer.concat(parts);
  if (bytes.length !== blob.length)
    throw new Error(`media blob ${id} has ${bytes.length} bytes, not ${blob.length}`);
  return { blob, bytes };
}
