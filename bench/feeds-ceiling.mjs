// The ceiling for bench/feeds.bench.ts: a bare Node http server answering from memory with
// exactly the bytes and headers our server sent, 200 or 304 as ours did (BENCHMARKING.md).
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

const [, , file, port] = process.argv;
const { headers200, headers304, body, etag } = JSON.parse(readFileSync(file, 'utf8'));
const bytes = Buffer.from(body, 'base64');
createServer((req, res) => {
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers304).end();
    return;
  }
  res.writeHead(200, headers200);
  res.end(bytes);
}).listen(Number(port), '127.0.0.1', () => console.log('ceiling ready'));
