/**
 * Retries a write the embedded store refused because SQLite was busy with another writer
 * (FerretDB answers `database is locked (SQLITE_BUSY)` under write bursts). The write is by
 * `_id` and idempotent, so repeating it is safe.
 */
export async function retryWhenBusy<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await write();
    } catch (err) {
      if (n >= attempts || !/SQLITE_BUSY|database is locked/.test(String((err as Error)?.message))) throw err;
      await new Promise((r) => setTimeout(r, 25 * n));
    }
  }
}
