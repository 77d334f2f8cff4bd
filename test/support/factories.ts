import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportStory } from '../../src/import/parse-import-file.js';

/** An import-file story with a Russian original and an English translation; override any part. */
export function buildImportStory(overrides: Partial<ImportStory> = {}): ImportStory {
  const n = randomBytes(3).toString('hex');
  return {
    externalId: `story-${n}`,
    section: 'news',
    tags: ['security'],
    sourceLang: 'ru',
    publishedAt: '2024-07-25T12:00:00Z',
    versions: {
      ru: {
        title: `Заседание комитета ${n}`,
        lead: 'Краткое содержание.',
        body: '<p>Заседание пройдёт 27 июня 2019 года.</p>',
      },
      en: {
        title: `Committee meeting ${n}`,
        lead: 'Summary.',
        body: '<p>The meeting will take place on 27 June 2019.</p>',
      },
    },
    ...overrides,
  };
}

/** An import file (`{"stories": […]}`) in a fresh temporary folder; returns its path. */
export function writeImportFile(stories: ImportStory[], name = 'stories'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'newsroom-import-')), `${name}.json`);
  writeFileSync(file, JSON.stringify({ stories }));
  return file;
}
