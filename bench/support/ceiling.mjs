// The ceiling of `npm run bench` (BENCHMARKING.md): a bare Node http server answering from
// memory with exactly the status, headers and bytes our server sent for each path, and a 304
// with our 304's headers when If-None-Match carries the page's ETag.
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

const [, , file, port] = process.argv;
const pages = new Map(
  Object.entries(JSON.parse(readFileSync(file, 'utf8'))).map(([path, p]) => [
    path,
    { ...p, body: Buffer.from(p.body, 'base64') },
  ]),
);
createServer((req, res) => {
  const page = pages.get(req.url);
  if (!page) return res.writeHead(404).end();
  if (page.notModified && req.headers['if-none-match'] === page.headers.etag) {
    return res.writeHead(304, page.notModified).end();
  }
  res.writeHead(page.status, page.headers);
  res.end(page.body);
}).listen(Number(port), '127.0.0.1', () => console.log('ceiling ready'));
