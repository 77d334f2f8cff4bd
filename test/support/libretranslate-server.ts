import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A small LibreTranslate-compatible HTTP server for the tests, on a loopback port: the real
 * API shape (`GET /languages`; `POST /translate` with `q` as a string or a list, `source`,
 * `target`, `format`, `api_key`; errors as `{error}` with 400/403/429/500). It "translates"
 * word by word from a small dictionary, keeping HTML tags where they are, as the real one does
 * in `format: html`. `behaviour` switches it to slow, failing, rate-limited or tag-dropping.
 */
export type Behaviour = 'ok' | 'slow' | 'error' | 'rate-limit-once' | 'rate-limit' | 'drop-tags';

export interface FakeLibreTranslate {
  url: string;
  behaviour: Behaviour;
  /** Delay of a `slow` answer. */
  slowMs: number;
  requests: { path: string; body: Record<string, unknown> }[];
  close: () => Promise<void>;
}

const DICTIONARY: Record<string, Record<string, string>> = {
  'ru:en': {
    заседание: 'meeting',
    пройдёт: 'will take place',
    в: 'in',
    июне: 'June',
    министры: 'ministers',
    обороны: 'of defence',
    встретились: 'met',
    москве: 'Moscow',
    минске: 'Minsk',
    совет: 'council',
    одобрил: 'approved',
    план: 'plan',
    секретарь: 'secretary',
    выступил: 'spoke',
  },
  'en:tg': { meeting: 'ҷаласа', the: '', will: 'мегузарад', in: 'дар', june: 'июн' },
};

function translateText(text: string, pair: string): string {
  const dict = DICTIONARY[pair] ?? {};
  return text.replace(/[\p{L}]+/gu, (w) => {
    const t = dict[w.toLowerCase()];
    if (t === undefined) return `${w}~`;
    return w[0] === w[0].toUpperCase() && t ? t[0].toUpperCase() + t.slice(1) : t;
  });
}

/** Translates the text between tags and keeps the tags, as format=html does. */
function translateHtml(html: string, pair: string, dropTags: boolean): string {
  return html
    .split(/(<[^>]*>)/)
    .map((part) => (part.startsWith('<') ? (dropTags ? '' : part) : translateText(part, pair)))
    .join('');
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString('utf8')));
    req.on('end', () => resolve(data));
  });

export async function startFakeLibreTranslate(opts: { apiKey?: string } = {}): Promise<FakeLibreTranslate> {
  const state: FakeLibreTranslate = {
    url: '',
    behaviour: 'ok',
    slowMs: 3_000,
    requests: [],
    close: async () => {},
  };
  let limited = false;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://x');
      let body: Record<string, unknown> = {};
      if (raw) {
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          return send(400, { error: 'Invalid request: body is not JSON' });
        }
      }
      state.requests.push({ path: url.pathname, body });
      if (state.behaviour === 'slow') await new Promise((r) => setTimeout(r, state.slowMs));
      if (state.behaviour === 'error') return send(500, { error: 'Internal error' });
      if (state.behaviour === 'rate-limit' || (state.behaviour === 'rate-limit-once' && !limited)) {
        limited = true;
        return send(429, { error: 'Too many request limits violations' }, { 'retry-after': '0' });
      }
      if (url.pathname === '/languages' && req.method === 'GET') {
        return send(200, [
          { code: 'ru', name: 'Russian', targets: ['en'] },
          { code: 'en', name: 'English', targets: ['ru', 'tg'] },
          { code: 'tg', name: 'Tajik', targets: ['en'] },
        ]);
      }
      if (url.pathname === '/translate' && req.method === 'POST') {
        if (opts.apiKey && body.api_key !== opts.apiKey) {
          return send(403, { error: 'Invalid API key' });
        }
        const { q, source, target, format } = body as {
          q?: unknown;
          source?: string;
          target?: string;
          format?: string;
        };
        if (!source || !target || (typeof q !== 'string' && !Array.isArray(q))) {
          return send(400, { error: 'Invalid request: missing q, source or target' });
        }
        const pair = `${source}:${target}`;
        const one = (s: string) =>
          format === 'html'
            ? translateHtml(s, pair, state.behaviour === 'drop-tags')
            : translateText(s, pair);
        return send(200, { translatedText: Array.isArray(q) ? q.map((s) => one(String(s))) : one(q) });
      }
      return send(404, { error: 'Not found' });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
