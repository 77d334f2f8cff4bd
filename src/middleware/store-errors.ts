/** What an error from a backing store means for the client: which store, and that it is temporary. */
export interface StoreOutage {
  code: 'store_unavailable' | 'redis_unavailable';
  message: string;
}

// The driver's names for "cannot reach the server"; PoolClearedOnNetworkError is what a request
// waiting for a connection gets when the pool is cleared after the server died (seen in CI),
// MongoSystemError a topology that failed while it was being selected, and the pool and
// operation timeouts what requests queued behind a dead connection get.
const MONGO_DOWN =
  /^(MongoServerSelectionError|MongooseServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoNotConnectedError|MongoTopologyClosedError|MongoPoolClearedError|PoolClearedError|PoolClearedOnNetworkError|MongoPoolClosedError|PoolClosedError|MongoServerClosedError|MongoWaitQueueTimeoutError|WaitQueueTimeoutError|MongoSystemError|MongoOperationTimeoutError)$/;
const MONGO_DOWN_MESSAGE =
  /buffering timed out|before initial connection is complete|Client must be connected|ECONNREFUSED|ECONNRESET|EPIPE|connection .* closed|socket hang up|Topology is closed|pool .*(closed|cleared)|server is closed/i;
/** Labels the driver puts on an error of a connection it gave up (network errors, cleared pools). */
const MONGO_DOWN_LABELS = ['ResetPool', 'PoolRequestedRetry', 'InterruptInUseConnections'];
/**
 * A bare socket error the driver lets through when it writes to a connection the dead server
 * already closed (Node's "This socket has been ended by the other party", EPIPE; seen in CI
 * on Node 24): not a Mongo error by name, so it is known by its code and the driver's frame.
 */
const SOCKET_GONE = new Set(['EPIPE', 'ECONNRESET']);
const MONGO_DRIVER_FRAME = /[\\/]node_modules[\\/]mongodb[\\/]/;
const REDIS_DOWN_MESSAGE = /Connection is closed|Stream isn't writeable|Reached the max retries per request/i;

/**
 * Recognises "the database / Redis is unreachable" among errors (the error or its cause), so
 * the API can answer 503 with Retry-After instead of an opaque 500 while a store restarts.
 */
export function storeOutageOf(err: unknown): StoreOutage | undefined {
  for (
    let e = err as { name?: string; message?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    const name = e.name ?? '';
    const message = e.message ?? '';
    const labels = (e as { errorLabelSet?: Set<string> }).errorLabelSet;
    if (
      MONGO_DOWN.test(name) ||
      (name.startsWith('Mongo') && MONGO_DOWN_MESSAGE.test(message)) ||
      MONGO_DOWN_LABELS.some((l) => labels?.has(l)) ||
      (SOCKET_GONE.has((e as { code?: string }).code ?? '') &&
        MONGO_DRIVER_FRAME.test((e as Error).stack ?? ''))
    ) {
      return {
        code: 'store_unavailable',
        message: 'The database (MongoDB) is unreachable right now; try again in a few seconds.',
      };
    }
    if (name === 'MaxRetriesPerRequestError' || REDIS_DOWN_MESSAGE.test(message)) {
      return {
        code: 'redis_unavailable',
        message: 'Redis is unreachable right now; try again in a few seconds.',
      };
    }
    e = e.cause as typeof e;
  }
  return undefined;
}

/** Seconds a client should wait before retrying during an outage (sent as Retry-After). */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;
