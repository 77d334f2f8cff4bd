import { isDuplicateKey } from '../errors.js';
import type { AppContext } from '../context.js';
import { OutboxEvent, type OutboxEventDoc } from '../models/outbox-event.js';

export type OutboxHandler = (
  payload: Record<string, unknown>,
  ctx: AppContext,
  event: OutboxEventDoc,
) => Promise<void>;

const handlers = new Map<string, OutboxHandler[]>();
const listeners = new Set<() => void>();

/** Adds a handler for an event type. Handlers must be idempotent: an event can be relayed twice. */
export function onOutboxEvent(type: string, handler: OutboxHandler): void {
  handlers.set(type, [...(handlers.get(type) ?? []), handler]);
}

/** Records an event durably in MongoDB; a second record of the same id is a no-op. */
export async function emitEvent(id: string, type: string, payload: Record<string, unknown>): Promise<void> {
  try {
    await OutboxEvent.create({ _id: id, type, payload });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  for (const wake of listeners) wake();
}

/**
 * Moves outbox events to their handlers. Runs in every web and worker process: it wakes on
 * each local emit and polls for the rest (events of another process, or left over after
 * Redis was down). An event stays until all its handlers succeed.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly wake = () => void this.drain();

  constructor(
    private readonly ctx: AppContext,
    private readonly pollMs = 1_000,
  ) {}

  start(): void {
    listeners.add(this.wake);
    const tick = () => {
      if (this.stopped) return;
      void this.drain().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.pollMs);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    listeners.delete(this.wake);
    clearTimeout(this.timer);
    await this.running;
  }

  /** Relays every pending event once; concurrent calls coalesce into one more pass. */
  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    let events: OutboxEventDoc[];
    try {
      events = await OutboxEvent.find().sort({ createdAt: 1 }).limit(500).lean<OutboxEventDoc[]>();
    } catch (err) {
      this.ctx.log.warn({ err }, 'outbox: cannot read events');
      return;
    }
    for (const event of events) {
      if (this.stopped) return;
      try {
        for (const handler of handlers.get(event.type) ?? []) {
          await handler(event.payload as Record<string, unknown>, this.ctx, event);
        }
        await OutboxEvent.deleteOne({ _id: event._id });
      } catch (err) {
        this.ctx.log.warn({ err, event: event._id }, 'outbox: handler failed; will retry');
        await OutboxEvent.updateOne(
          { _id: event._id },
          { $inc: { attempts: 1 }, $set: { lastError: String(err) } },
        ).catch(() => undefined);
        // Handlers read current state rather than trusting the payload's order, so the
        // others can go on; this one is retried on the next pass.
        continue;
      }
    }
  }
}
