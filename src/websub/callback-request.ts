import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkCallbackUrl, guardedLookup, type UrlCheckNames } from './callback-guard.js';

export interface CallbackResponse {
  status: number;
  body: string;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One HTTP request to a subscriber's callback (or a webhook endpoint): SSRF-guarded (URL and connect-time address),
 * no redirects followed, a hard timeout, and at most 64 KB of the answer read.
 */
export async function callbackRequest(
  rawUrl: string,
  opts: {
    method: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string | Buffer;
    timeoutMs?: number;
    allowPrivate: boolean;
    /** For a URL that is not a WebSub callback: how refusals name it. */
    names?: UrlCheckNames;
    userAgent?: string;
  },
): Promise<CallbackResponse> {
  const url = await checkCallbackUrl(rawUrl, opts.allowPrivate, opts.names);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method,
        headers: { 'User-Agent': opts.userAgent ?? 'Newsroom-WebSub/1.0', ...opts.headers },
        lookup: guardedLookup(opts.allowPrivate) as never,
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`callback ${url.host} did not answer in time`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}
