// The ceiling for bench/reader.bench.ts: a bare Node http server answering from memory with
// exactly the bytes and headers our server sent for each path (BENCHMARKING.md).
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

const [, , file, port] = process.argv;
const captured = JSON.parse(readFileSync(file, 'utf8'));
const pages = new Map(
  Object.entries(captured).map(([path, { headers, body }]) => [
    path,
    { headers, body: Buffer.from(body, 'base64') },
  ]),
);
createServer((req, res) => {
  const page = pages.get(req.url);
  if (!page) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, page.headers);
  res.end(page.body);
}).listen(Number(port), '127.0.0.1', () => console.log('ceiling ready'));
