import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths.js';

/** One story of an import file, as the schema (src/import/import.schema.json) describes it. */
export interface ImportStory {
  externalId: string;
  section?: string;
  tags?: string[];
  sourceLang: string;
  publishedAt?: string;
  contact?: { name?: string; email?: string };
  versions: Record<string, { title: string; lead?: string; body: string; slug?: string }>;
}

export interface Rejection {
  index: number;
  externalId?: string;
  reason: string;
}

export class ImportFileError extends Error {}

const schema = JSON.parse(readFileSync(join(ROOT, 'src/import/import.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: false, strict: false });
addFormats.default(ajv);
ajv.addSchema(schema, 'import');
const validateStory = ajv.getSchema('import#/$defs/story')!;

/**
 * Parses an import file and splits it into valid stories and rejections (index and reason).
 * A file that is not JSON, or has no `stories` array, is an ImportFileError: nothing is imported.
 */
export function parseImportFile(
  text: string,
  languages: string[],
): { stories: ImportStory[]; rejected: Rejection[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ImportFileError(`not valid JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { stories?: unknown }).stories)) {
    throw new ImportFileError(
      'expected an object with a "stories" array (see src/import/import.schema.json)',
    );
  }
  const extra = Object.keys(data).filter((k) => k !== 'stories');
  if (extra.length) throw new ImportFileError(`unknown top-level field(s): ${extra.join(', ')}`);

  const stories: ImportStory[] = [];
  const rejected: Rejection[] = [];
  const seen = new Map<string, number>();
  (data as { stories: unknown[] }).stories.forEach((raw, index) => {
    const externalId = (raw as { externalId?: unknown })?.externalId;
    const reject = (reason: string) =>
      rejected.push({ index, externalId: typeof externalId === 'string' ? externalId : undefined, reason });
    if (!validateStory(raw)) {
      const e = validateStory.errors![0];
      reject(
        `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${e.params.additionalProperty}'` : ''}`,
      );
      return;
    }
    const story = raw as ImportStory;
    const unknown = Object.keys(story.versions).filter((l) => !languages.includes(l));
    if (!languages.includes(story.sourceLang)) {
      reject(`sourceLang '${story.sourceLang}' is not configured (configured: ${languages.join(', ')})`);
    } else if (unknown.length) {
      reject(
        `version language(s) ${unknown.join(', ')} not configured (configured: ${languages.join(', ')})`,
      );
    } else if (!story.versions[story.sourceLang]) {
      reject(`versions has no '${story.sourceLang}' version, the story's sourceLang`);
    } else if (seen.has(story.externalId)) {
      reject(`externalId '${story.externalId}' already appears at index ${seen.get(story.externalId)}`);
    } else {
      seen.set(story.externalId, index);
      stories.push(story);
    }
  });
  return { stories, rejected };
}
