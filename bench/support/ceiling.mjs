// The ceiling of `npm run bench` (BENCHMARKING.md): a bare Node http server answering from
// memory with exactly the status, headers and bytes our server sent for each path, and a 304
// with our 304's headers when If-None-Match carries the page's ETag.
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const [, , file, port] = process.argv;
// One JSON line per path ({ path, status, headers, body (base64), notModified }), and one more
// with `encoding: 'gzip'` for a path a gzip client asks for; read line by
// line: at 100,000 stories (200,000 pages) the file is about 5.5 GB, past what one read (2 GB)
// or one string can hold.
const pages = new Map();
const gzipPages = new Map();
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (!line) continue;
  const { path, encoding, ...p } = JSON.parse(line);
  (encoding === 'gzip' ? gzipPages : pages).set(path, { ...p, body: Buffer.from(p.body, 'base64') });
}
createServer((req, res) => {
  const gzip = gzipPages.size > 0 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const page = (gzip && gzipPages.get(req.url)) || pages.get(req.url);
  if (!page) return res.writeHead(404).end();
  if (page.notModified && req.headers['if-none-match'] === page.headers.etag) {
    return res.writeHead(304, page.notModified).end();
  }
  res.writeHead(page.status, page.headers);
  res.end(page.body);
}).listen(Number(port), '127.0.0.1', () => console.log('ceiling ready'));
