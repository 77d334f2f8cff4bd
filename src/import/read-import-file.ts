import { createReadStream } from 'node:fs';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import {
  checkImportRecord,
  ImportFileError,
  isRejection,
  type ImportItem,
  type Rejection,
} from './parse-import-file.js';

/**
 * Import files of any size (an archive of 100,000 stories is over a gigabyte, beyond one
 * `JSON.parse`): read as a stream of tokens (`stream-json`), one record in memory at a time.
 */

const tokens = (path: string) =>
  chain([createReadStream(path), parser({ packKeys: true, packValues: true, streamValues: false })]);

/**
 * A first pass over the file: it must be JSON, an object whose only field is a `stories`
 * array, or nothing is imported (an ImportFileError naming the problem). Returns how many
 * records the array has, for progress.
 */
export async function scanImportFile(path: string): Promise<{ records: number }> {
  let depth = 0;
  let records = 0;
  let topLevel: 'object' | 'other' | undefined;
  let storiesIsArray = false;
  let key: string | undefined;
  const extra: string[] = [];
  try {
    for await (const token of tokens(path)) {
      const t = token as { name: string; value?: unknown };
      switch (t.name) {
        case 'startObject':
        case 'startArray':
          if (depth === 0) topLevel = t.name === 'startObject' ? 'object' : 'other';
          if (depth === 1 && key === 'stories') storiesIsArray = t.name === 'startArray';
          if (depth === 2 && key === 'stories') records++;
          depth++;
          break;
        case 'endObject':
        case 'endArray':
          depth--;
          break;
        case 'keyValue':
          if (depth === 1) {
            key = String(t.value);
            if (key !== 'stories') extra.push(key);
          }
          break;
        default:
          if (depth === 0) topLevel = 'other';
          else if (depth === 2 && key === 'stories') records++;
      }
    }
  } catch (err) {
    throw new ImportFileError(`not valid JSON: ${(err as Error).message}`);
  }
  if (topLevel !== 'object' || !storiesIsArray) {
    throw new ImportFileError(
      'expected an object with a "stories" array (see src/import/import.schema.json)',
    );
  }
  if (extra.length) throw new ImportFileError(`unknown top-level field(s): ${extra.join(', ')}`);
  return { records };
}

/**
 * The valid records of a file scanned by `scanImportFile`, one at a time with their index in
 * the file; invalid ones are pushed to `rejected` (index, externalId, reason) and skipped.
 */
export async function* readImportFile(
  path: string,
  languages: string[],
  rejected: Rejection[],
): AsyncGenerator<ImportItem> {
  const seen = new Map<string, number>();
  const records = chain([
    createReadStream(path),
    parser({ streamValues: false }),
    pick({ filter: 'stories' }),
    streamArray(),
  ]);
  for await (const record of records) {
    const { key, value } = record as { key: number; value: unknown };
    const checked = checkImportRecord(value, key, languages, seen);
    if (isRejection(checked)) rejected.push(checked);
    else yield checked;
  }
}
