import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths.js';
import { cleanDeep } from '../validation/text.js';
import { MAX_YEAR, MIN_YEAR, parseIsoDate } from '../validation/dates.js';
import { languagesWithoutLabel, sectionsLabelledInAll } from '../i18n/section-labels.js';

/** One story of an import file, as the schema (src/import/import.schema.json) describes it. */
export interface ImportStory {
  externalId: string;
  section?: string;
  tags?: string[];
  sourceLang: string;
  publishedAt?: string;
  contact?: { name?: string; role?: string; phone?: string; email?: string };
  leadPicture?: {
    src: string;
    alt: Record<string, string>;
    caption?: Record<string, string>;
    credit?: string;
  };
  versions: Record<string, { title: string; lead?: string; leadHtml?: string; body: string; slug?: string }>;
}

/** A valid story with its index in the file (for messages about it). */
export interface ImportItem {
  story: ImportStory;
  index: number;
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
 * Checks one record of an import file: the schema, configured languages, dates, a section
 * that every language has a label for (readers would otherwise see its bare key), and an
 * externalId not seen earlier in the file (`seen`: externalId → index, filled as it goes).
 * Control characters are removed first, as the API does.
 */
export function checkImportRecord(
  raw: unknown,
  index: number,
  languages: string[],
  seen: Map<string, number>,
): ImportItem | Rejection {
  const value = cleanDeep(raw).value;
  const externalId = (value as { externalId?: unknown })?.externalId;
  const reject = (reason: string): Rejection => ({
    index,
    externalId: typeof externalId === 'string' ? externalId : undefined,
    reason,
  });
  if (!validateStory(value)) {
    const e = validateStory.errors![0];
    return reject(
      `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${e.params.additionalProperty}'` : ''}`,
    );
  }
  const story = value as ImportStory;
  const unknown = Object.keys(story.versions).filter((l) => !languages.includes(l));
  if (!languages.includes(story.sourceLang)) {
    return reject(`sourceLang '${story.sourceLang}' is not configured (configured: ${languages.join(', ')})`);
  }
  if (unknown.length) {
    return reject(
      `version language(s) ${unknown.join(', ')} not configured (configured: ${languages.join(', ')})`,
    );
  }
  const twice = Object.keys(story.versions).find(
    (l) => story.versions[l].lead !== undefined && story.versions[l].leadHtml !== undefined,
  );
  if (twice) return reject(`versions.${twice} has both lead and leadHtml: send the lead once`);
  if (!story.versions[story.sourceLang]) {
    return reject(`versions has no '${story.sourceLang}' version, the story's sourceLang`);
  }
  if (story.publishedAt !== undefined && !parseIsoDate(story.publishedAt)) {
    return reject(
      `publishedAt '${story.publishedAt}' must be an ISO 8601 date-time between ${MIN_YEAR} and ${MAX_YEAR}`,
    );
  }
  const noAlt = story.leadPicture && Object.keys(story.versions).filter((l) => !story.leadPicture!.alt[l]);
  if (noAlt?.length) {
    return reject(
      `leadPicture has no alt text in ${noAlt.join(', ')}: describe the picture in every language of versions`,
    );
  }
  const section = story.section ?? 'news';
  const unlabelled = languagesWithoutLabel(section, languages);
  if (unlabelled.length) {
    return reject(
      `section '${section}' has no label in ${unlabelled.join(', ')}: add "${section}" under "sections" in locales/<lang>/common.json, or use one of: ${sectionsLabelledInAll(languages).join(', ')}`,
    );
  }
  if (seen.has(story.externalId)) {
    return reject(`externalId '${story.externalId}' already appears at index ${seen.get(story.externalId)}`);
  }
  // A copy: the parsed id is a slice of the file chunk it was read from, and keeping the
  // slice for the whole run would keep every chunk of the file in memory.
  seen.set(Buffer.from(story.externalId).toString(), index);
  return { story, index };
}

export const isRejection = (r: ImportItem | Rejection): r is Rejection => 'reason' in r;

/**
 * Parses an import file held in memory and splits it into valid stories (with their index in
 * the file) and rejections (index in the file, externalId and reason). The CLI streams files
 * instead (`read-import-file.ts`); this serves the demo seed and tests.
 * A file that is not JSON, or has no `stories` array, is an ImportFileError: nothing is imported.
 */
export function parseImportFile(
  text: string,
  languages: string[],
): { stories: ImportStory[]; rejected: Rejection[]; positions: number[] } {
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
  /** positions[i]: the index in the file of stories[i], for messages about it. */
  const positions: number[] = [];
  const rejected: Rejection[] = [];
  const seen = new Map<string, number>();
  (data as { stories: unknown[] }).stories.forEach((raw, index) => {
    const checked = checkImportRecord(raw, index, languages, seen);
    if (isRejection(checked)) rejected.push(checked);
    else {
      stories.push(checked.story);
      positions.push(index);
    }
  });
  return { stories, rejected, positions };
}
