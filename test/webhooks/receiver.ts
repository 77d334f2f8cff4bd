import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered (undefined while it holds the request open). */
  answered?: number;
}

/**
 * A partner's webhook receiver on loopback: records every POST, answers per path (default
 * 200), and can verify signatures with the `standardwebhooks` library, an implementation of
 * the scheme that is not ours.
 */
export class Receiver {
  readonly received: Received[] = [];
  /** Per path: the status for the n-th request (0-based), or 'hang' to never answer. */
  answers = new Map<string, (n: number) => number | 'hang'>();
  private readonly held: ServerResponse[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const n = this.at(path).length;
      const entry: Received = { path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.received.push(entry);
      const answer = this.answers.get(path)?.(n) ?? 200;
      if (answer === 'hang') {
        this.held.push(res);
        return;
      }
      entry.answered = answer;
      res.statusCode = answer;
      res.end(answer < 300 ? 'ok' : 'not now');
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** The verified message of a request (throws on a bad signature or an old timestamp). */
  static verify(
    secret: string,
    r: Received,
  ): { type: string; timestamp: string; data: Record<string, unknown> } {
    return new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as never;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}
