import busboy from 'busboy';
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { stripControlChars } from '../validation/text.js';

/** An uploaded file, read whole: the import forms read its `text`, picture uploads its `data`. */
export class UploadedFile {
  constructor(
    readonly filename: string,
    readonly mimeType: string,
    readonly data: Buffer,
  ) {}
  /** As UTF-8, control characters removed as for every other input (`cleanRequestInput`). */
  get text(): string {
    return stripControlChars(this.data.toString('utf8'));
  }
}

/** Largest file a desk form accepts (TMX, TBX, XLIFF, pictures). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * Parses `multipart/form-data` (the desk's file-upload forms) into `req.body`: fields as
 * strings, files as `UploadedFile`. Runs before CSRF checking, which then reads `_csrf` from
 * the body as for any form. Oversized files answer 413 `upload_too_large`.
 */
export const multipartForms: RequestHandler = (req, _res, next) => {
  if (!req.is('multipart/form-data')) return next();
  const body: Record<string, string | UploadedFile> = {};
  let failed = false;
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD_BYTES, files: 2, fields: 50 } });
  } catch {
    return next(new AppError(400, 'invalid_form', 'The upload could not be read'));
  }
  bb.on('field', (name, value) => {
    body[name] = value;
  });
  bb.on('file', (name, stream, info) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('limit', () => {
      failed = true;
      next(
        new AppError(413, 'upload_too_large', `Files are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`),
      );
    });
    stream.on('end', () => {
      if (info.filename) body[name] = new UploadedFile(info.filename, info.mimeType, Buffer.concat(chunks));
    });
  });
  bb.on('error', () => {
    if (failed) return;
    failed = true;
    next(new AppError(400, 'invalid_form', 'The upload could not be read'));
  });
  bb.on('close', () => {
    if (failed) return;
    req.body = body;
    next();
  });
  req.pipe(bb);
};
