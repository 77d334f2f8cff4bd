import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { AppError } from '../errors.js';
import { tooLargeError } from '../media/inspect-upload.js';
import type { PictureUpload } from '../media/upload-media.js';
import { fetchPicture, type FetchLimits } from './fetch-picture.js';

/** Where an import file's pictures are read from. */
export interface PictureSourceOptions extends FetchLimits {
  /** The import file's directory; without one (an in-memory import) file paths are refused. */
  baseDir?: string;
}

const refuse = (code: string, message: string) => new AppError(422, code, message);

/** A picture the import downloads (any other source is a file path, or refused). */
export const isPictureUrl = (src: string) => /^https?:\/\//i.test(src);

/**
 * A body picture addressed from the site's root (`/media/<id>/…` as the desk writes it, or an
 * old site's `/uploads/…`): a URL path, not a file next to the import file, so it is left as
 * written and nothing is read for it.
 */
export const isSitePath = (src: string) => src.startsWith('/') && !src.startsWith('//');

/**
 * The bytes of a picture an import file names: an `http(s)://` URL (downloaded with
 * `fetchPicture`) or a path relative to the import file's directory, written as in HTML (`/`
 * separators, percent-escapes allowed). Absolute paths, `..` leading out of the directory (a
 * symbolic link too: the real path is compared) and other schemes (`file:`, `data:`, `ftp:`…)
 * are refused with a stable code, as is anything that is not a regular file.
 */
export async function readPictureSource(src: string, opts: PictureSourceOptions): Promise<PictureUpload> {
  if (isPictureUrl(src)) {
    const fetched = await fetchPicture(src, opts);
    return { data: fetched.bytes, filename: fetched.filename, mimeType: fetched.mimeType };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(src))
    throw refuse(
      'picture_scheme_refused',
      `${src.slice(0, 60)}: only http(s) URLs and relative file paths are imported`,
    );
  if (src.startsWith('/') || src.startsWith('\\') || isAbsolute(src))
    throw refuse('picture_path_absolute', `${src}: give the path relative to the import file's directory`);
  if (!opts.baseDir)
    throw refuse(
      'picture_path_without_directory',
      `${src}: a file path needs an import file to be relative to`,
    );
  let path: string;
  try {
    path = decodeURIComponent(src.replace(/[?#].*$/, ''));
  } catch {
    throw refuse('picture_not_found', `${src}: not a valid path`);
  }
  const base = await realpath(opts.baseDir);
  const outside = (p: string) => {
    const rel = relative(base, p);
    return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  };
  if (outside(resolve(base, path)))
    throw refuse('picture_path_outside', `${src} leads out of the import file's directory`);
  let real: string;
  try {
    real = await realpath(resolve(base, path));
  } catch {
    throw refuse('picture_not_found', `${src}: no such file next to the import file`);
  }
  if (outside(real)) throw refuse('picture_path_outside', `${src} leads out of the import file's directory`);
  return { data: await readCapped(real, src, opts.maxBytes), filename: basename(real) };
}

/** A regular file's bytes, refused without reading when it is larger than `maxBytes`. */
async function readCapped(path: string, src: string, maxBytes: number): Promise<Buffer> {
  // stat first: opening a FIFO or a device to find out would block or never end.
  const info = await stat(path);
  if (!info.isFile()) throw refuse('picture_not_found', `${src} is not a file`);
  if (info.size > maxBytes) throw tooLargeError(maxBytes);
  const bytes = await readFile(path);
  if (bytes.length > maxBytes) throw tooLargeError(maxBytes);
  return bytes;
}
