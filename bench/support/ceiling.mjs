// The ceiling of `npm run bench` (BENCHMARKING.md): a bare Node http server answering from
// memory with exactly the status, headers and bytes our server sent for each path, and a 304
// with our 304's headers when If-None-Match carries the page's ETag.
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

const [, , file, port] = process.argv;
// One JSON line per path ({ path, status, headers, body (base64), notModified }): 20,000
// pages in one JSON document would pass V8's longest string.
const pages = new Map();
const raw = readFileSync(file); // a Buffer: the whole file as one string would be too long too
for (let start = 0, end; start < raw.length; start = end + 1) {
  end = raw.indexOf(10, start);
  if (end === -1) end = raw.length;
  if (end === start) continue;
  const { path, ...p } = JSON.parse(raw.toString('utf8', start, end));
  pages.set(path, { ...p, body: Buffer.from(p.body, 'base64') });
}
createServer((req, res) => {
  const page = pages.get(req.url);
  if (!page) return res.writeHead(404).end();
  if (page.notModified && req.headers['if-none-match'] === page.headers.etag) {
    return res.writeHead(304, page.notModified).end();
  }
  res.writeHead(page.status, page.headers);
  res.end(page.body);
}).listen(Number(port), '127.0.0.1', () => console.log('ceiling ready'));
