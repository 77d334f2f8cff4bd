import { describe, expect, it } from 'vitest';
import { retryWhenBusy } from './retry-when-busy.js';

describe('retryWhenBusy', () => {
  it('repeats a write the store refused as busy, and gives up on anything else', async () => {
    let calls = 0;
    const flaky = async () => {
      if (++calls < 3) throw new Error('database is locked (5) (SQLITE_BUSY)');
      return 'written';
    };
    await expect(retryWhenBusy(flaky)).resolves.toBe('written');
    expect(calls).toBe(3);

    let other = 0;
    const broken = async () => {
      other++;
      throw new Error('E11000 duplicate key');
    };
    await expect(retryWhenBusy(broken)).rejects.toThrow(/E11000/);
    expect(other).toBe(1);

    let always = 0;
    const busy = async () => {
      always++;
      throw new Error('SQLITE_BUSY');
    };
    await expect(retryWhenBusy(busy, 3)).rejects.toThrow(/SQLITE_BUSY/);
    expect(always).toBe(3);
  });
});
