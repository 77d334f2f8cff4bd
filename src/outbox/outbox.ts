import { isDuplicateKey } from '../errors.js';
import type { AppContext } from '../context.js';
import { currentRequestId, withRequestId } from '../lib/request-context.js';
import { OutboxEvent, type OutboxEventDoc } from '../models/outbox-event.js';
import { OUTBOX_EVENTS, type OutboxEventType, type OutboxPayload } from './events.js';

/** One reaction to an event. Must be idempotent: an event can be relayed twice. */
export type OutboxHandler<T extends OutboxEventType> = (
  payload: OutboxPayload<T>,
  ctx: AppContext,
  event: OutboxEventDoc,
) => Promise<void>;

/** Every event type with its handlers, run in the listed order (`src/outbox/handlers.ts`). */
export type Reactions = { [T in OutboxEventType]: readonly OutboxHandler<T>[] };

const listeners = new Set<() => void>();

/**
 * Records an event durably in MongoDB; a second record of the same id is a no-op, so an
 * idempotent "already done" path can (and must) emit its event again. Wakes this process's
 * relay unless `wake` is false: a writer that applies the event's first reaction itself wakes
 * it once that is done (`wakeRelays`), so the relay's run is a repeat rather than a race.
 */
export async function emitEvent<T extends OutboxEventType>(
  id: string,
  type: T,
  payload: OutboxPayload<T>,
  { wake = true }: { wake?: boolean } = {},
): Promise<void> {
  const data = OUTBOX_EVENTS[type].parse(payload);
  try {
    // The current request id goes with it, so the jobs its handlers enqueue carry it on.
    await OutboxEvent.create({ _id: id, type, payload: data, requestId: currentRequestId() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  if (wake) wakeRelays();
}

/** Has this process's relay look for events now rather than at its next poll. */
export function wakeRelays(): void {
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
    private readonly reactions: Reactions,
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
        await withRequestId(event.requestId ?? undefined, () => this.handle(event));
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

  /** Runs an event's handlers in order, on its payload checked against the event's schema. */
  private async handle(event: OutboxEventDoc): Promise<void> {
    const type = event.type as OutboxEventType;
    const schema = OUTBOX_EVENTS[type];
    if (!schema) throw new Error(`outbox: no event type '${event.type}' in src/outbox/events.ts`);
    const payload = schema.parse(event.payload);
    for (const handler of this.reactions[type] as readonly OutboxHandler<typeof type>[]) {
      await handler(payload as never, this.ctx, event);
    }
  }
}
