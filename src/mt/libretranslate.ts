import { z } from 'zod';
import { MtError, type MtProvider } from './mt-provider.js';

/**
 * The LibreTranslate HTTP API (`POST /translate`, `GET /languages`), self-hostable, also
 * spoken by several compatible servers. Each call has a timeout (not retried: a slow engine
 * stays slow); network errors, 429 and 5xx are retried with a short back-off (429 honours
 * `Retry-After`, capped), other 4xx are not. Nothing here throws anything but `MtError`.
 */
export interface LibreTranslateOptions {
  url: string;
  apiKey?: string;
  timeoutMs: number;
  retries: number;
}

const TranslateAnswer = z.object({ translatedText: z.union([z.string(), z.array(z.string())]) });
const LanguagesAnswer = z.array(
  z.object({ code: z.string(), targets: z.array(z.string()).optional() }).loose(),
);

const RETRY_AFTER_CAP_MS = 2_000;

export class LibreTranslate implements MtProvider {
  readonly name = 'libretranslate';
  private readonly base: string;

  constructor(private readonly opts: LibreTranslateOptions) {
    this.base = opts.url.replace(/\/+$/, '');
  }

  async translate(texts: string[], from: string, to: string): Promise<string[]> {
    if (texts.length === 0) return [];
    const body = {
      q: texts,
      source: from,
      target: to,
      format: 'html',
      ...(this.opts.apiKey ? { api_key: this.opts.apiKey } : {}),
    };
    const answer = TranslateAnswer.safeParse(await this.call('/translate', body));
    if (!answer.success) throw new MtError('LibreTranslate answered without translatedText', 'bad_answer');
    const out = answer.data.translatedText;
    const list = Array.isArray(out) ? out : [out];
    if (list.length !== texts.length) {
      throw new MtError(`LibreTranslate answered ${list.length} texts for ${texts.length}`, 'bad_answer');
    }
    return list;
  }

  async languages(): Promise<Map<string, Set<string>>> {
    const answer = LanguagesAnswer.safeParse(await this.call('/languages'));
    if (!answer.success)
      throw new MtError('LibreTranslate /languages is not a list of languages', 'bad_answer');
    const all = answer.data.map((l) => l.code);
    return new Map(answer.data.map((l) => [l.code, new Set(l.targets ?? all.filter((c) => c !== l.code))]));
  }

  private async call(path: string, body?: unknown): Promise<unknown> {
    let last: MtError = new MtError('LibreTranslate was not called', 'unavailable');
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      let wait = 200 * 2 ** attempt;
      try {
        const res = await fetch(`${this.base}${path}`, {
          method: body ? 'POST' : 'GET',
          headers: body ? { 'content-type': 'application/json', accept: 'application/json' } : {},
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(this.opts.timeoutMs),
          redirect: 'error',
        });
        if (res.ok) {
          try {
            return await res.json();
          } catch {
            throw new MtError(`LibreTranslate ${path} answered no JSON`, 'bad_answer');
          }
        }
        const detail = await errorText(res);
        if (res.status === 429) {
          last = new MtError(`LibreTranslate rate limit: ${detail}`, 'rate_limited');
          const after = Number(res.headers.get('retry-after'));
          if (Number.isFinite(after) && after >= 0) wait = Math.min(after * 1000, RETRY_AFTER_CAP_MS);
        } else if (res.status >= 500) {
          last = new MtError(`LibreTranslate ${res.status}: ${detail}`, 'unavailable');
        } else {
          throw new MtError(`LibreTranslate ${res.status}: ${detail}`, 'rejected');
        }
      } catch (err) {
        if (err instanceof MtError) {
          if (err.code === 'rejected' || err.code === 'bad_answer') throw err;
          last = err;
        } else {
          const e = err as Error;
          // A slow engine stays slow: waiting for it once more would only double the wait.
          if (e.name === 'TimeoutError' || e.name === 'AbortError') {
            throw new MtError(`LibreTranslate did not answer within ${this.opts.timeoutMs} ms`, 'timeout');
          }
          last = new MtError(`LibreTranslate unreachable: ${e.message}`, 'unavailable');
        }
      }
      if (attempt < this.opts.retries) await new Promise((r) => setTimeout(r, wait));
    }
    throw last;
  }
}

async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error.slice(0, 200);
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || res.statusText;
}
