import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request id of the work in progress: set for each HTTP request, recorded on the outbox
 * events it emits, carried in the data of the jobs those cause, and set again while each job
 * runs, so one id joins the log lines of a request and of everything it set off.
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();

/** A client's own X-Request-Id is kept when it is short and plain; else we make one. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdFrom(header: string | undefined): string {
  return header && SAFE_ID.test(header) ? header : randomUUID();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `fn` with `requestId` as the current id (or as it stands, when there is none). */
export function withRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return requestId && SAFE_ID.test(requestId) ? storage.run({ requestId }, fn) : fn();
}
