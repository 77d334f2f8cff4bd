import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppError } from '../errors.js';
import { tooLargeError } from '../media/inspect-upload.js';
import { checkCallbackUrl, guardedLookup, type UrlCheckNames } from '../websub/callback-guard.js';

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  /** Loopback and private addresses (tests, an archive server on the same network). */
  allowPrivate: boolean;
}

export interface FetchedPicture {
  bytes: Buffer;
  /** The `Content-Type` the server gave, when it claims a picture (others say nothing of the bytes). */
  mimeType?: string;
  /** The last path segment of the final URL, for the name check of `inspectUpload`. */
  filename?: string;
}

/** How the SSRF guard names a refused picture URL (same classifier as webhooks and WebSub). */
const PICTURE_URL_NAMES: UrlCheckNames = {
  field: 'picture URL',
  invalidCode: 'picture_fetch_failed',
  privateCode: 'picture_private_address',
  allowFlag: 'IMPORT_FETCH_ALLOW_PRIVATE',
};

const MAX_REDIRECTS = 3;

const refuse = (code: string, message: string) => new AppError(422, code, message);

/**
 * Downloads a picture an import file names by URL, as carefully as a webhook delivery: http or
 * https only (a redirect too, each hop checked again), public addresses only unless allowed,
 * checked again at connect time (DNS rebinding), at most three redirects, one deadline for the
 * whole download (a server trickling bytes cannot hold the import), and the size cap applied
 * while the body streams (a 50 MB answer is cut off at the cap, not read whole). Refusals are
 * AppErrors with stable codes: `picture_scheme_refused`, `picture_private_address`,
 * `picture_fetch_failed`, `picture_fetch_timeout` and, over the cap, the desk's `media_too_large`.
 */
export async function fetchPicture(rawUrl: string, limits: FetchLimits): Promise<FetchedPicture> {
  const deadline = Date.now() + limits.timeoutMs;
  let url = rawUrl;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!/^https?:$/.test(protocolOf(url)))
      throw refuse('picture_scheme_refused', `${rawUrl}: only http and https pictures are fetched (${url})`);
    const res = await get(
      await checkCallbackUrl(url, limits.allowPrivate, PICTURE_URL_NAMES),
      deadline,
      limits,
    );
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      url = resolveLocation(res.headers.location, url);
      continue;
    }
    if (status !== 200) {
      res.resume();
      throw refuse('picture_fetch_failed', `${rawUrl} answered HTTP ${status}`);
    }
    const bytes = await readCapped(res, rawUrl, deadline, limits.maxBytes);
    const type = res.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    return {
      bytes,
      mimeType: type?.startsWith('image/') ? type : undefined,
      filename: decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || undefined,
    };
  }
  throw refuse('picture_fetch_failed', `${rawUrl} redirects more than ${MAX_REDIRECTS} times`);
}

const protocolOf = (url: string) => {
  try {
    return new URL(url).protocol;
  } catch {
    throw refuse('picture_fetch_failed', `'${url}' is not a valid URL`);
  }
};

const resolveLocation = (location: string, base: string) => {
  try {
    return new URL(location, base).toString();
  } catch {
    return location;
  }
};

function get(url: URL, deadline: number, limits: FetchLimits): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { 'User-Agent': 'Newsroom-Import/1.0', Accept: 'image/*' },
      lookup: guardedLookup(limits.allowPrivate) as never,
      timeout: Math.max(1, deadline - Date.now()),
    });
    req.on('response', resolve);
    req.on('timeout', () =>
      req.destroy(refuse('picture_fetch_timeout', `${url.host} did not answer in time`)),
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err instanceof AppError
          ? err
          : err.code === 'EPRIVATE'
            ? refuse(
                'picture_private_address',
                `${url.host} resolves to a loopback or private address (IMPORT_FETCH_ALLOW_PRIVATE=1 allows them)`,
              )
            : refuse('picture_fetch_failed', `${url.host}: ${err.code ?? err.message}`),
      ),
    );
    req.end();
  });
}

/** The body, refused as soon as it passes `maxBytes` or the deadline. */
function readCapped(res: IncomingMessage, url: string, deadline: number, maxBytes: number) {
  return new Promise<Buffer>((resolve, reject) => {
    const fail = (err: AppError) => {
      clearTimeout(timer);
      res.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(refuse('picture_fetch_timeout', `${url} was not downloaded in time`)),
      Math.max(1, deadline - Date.now()),
    );
    const declared = Number(res.headers['content-length']);
    if (declared > maxBytes) return fail(tooLargeError(maxBytes));
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(tooLargeError(maxBytes));
      else chunks.push(chunk);
    });
    res.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    res.on('error', (err) => fail(refuse('picture_fetch_failed', `${url}: ${err.message}`)));
  });
}
