import { MongoNetworkError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { storeOutageOf } from '../../src/middleware/store-errors.js';

describe('store outage recognition', () => {
  it('names the store for the driver errors of a dead server, and nothing else', () => {
    expect(storeOutageOf(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'))?.code).toBe(
      'store_unavailable',
    );
    // MongoSystemError: a topology that failed while a server was being selected.
    expect(
      storeOutageOf(Object.assign(new Error('selection failed'), { name: 'MongoSystemError' }))?.code,
    ).toBe('store_unavailable');
    const labelled = new MongoServerError({ message: 'interrupted', code: 11602 });
    labelled.addErrorLabel('ResetPool');
    expect(storeOutageOf(new Error('wrapped', { cause: labelled }))?.code).toBe('store_unavailable');
    // A refused write is the client's business, not an outage.
    expect(
      storeOutageOf(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 })),
    ).toBeUndefined();
    expect(storeOutageOf(new Error('something else'))).toBeUndefined();
    // Node's error for a write to a socket the dead server closed, out of the driver (CI, Node
    // 24); the same code from anywhere else is not taken for the database.
    const ended = () =>
      Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    const fromDriver = ended();
    fromDriver.stack +=
      '\n    at Connection.writeCommand (/app/node_modules/mongodb/lib/cmap/connection.js:392:5)';
    expect(storeOutageOf(fromDriver)?.code).toBe('store_unavailable');
    expect(storeOutageOf(ended())).toBeUndefined();
  });
});
