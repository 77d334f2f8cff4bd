import { describe, expect, it } from 'vitest';
import { runQa } from '../../src/shared/qa.js';

const glossary = [{ source: 'ОДКБ', target: 'CSTO' }];
const checks = (source: string, target: string) => {
  const r = runQa([{ i: 0, source, target }], glossary);
  return { errors: r.errors.map((e) => e.check), warnings: r.warnings.map((w) => w.check) };
};

describe('QA', () => {
  it('passes a faithful translation', () => {
    expect(
      checks(
        'Саммит {1}ОДКБ{/1} пройдёт 27 июня 2019 года.',
        'The {1}CSTO{/1} summit will take place on 27 June 2019.',
      ),
    ).toEqual({
      errors: [],
      warnings: [],
    });
  });

  it('catches a dropped day of a date', () => {
    expect(
      checks('Саммит пройдёт 27 июня 2019 года.', 'The summit will take place in June 2019.').errors,
    ).toEqual(['date_missing']);
  });

  it('catches a broken placeholder', () => {
    expect(checks('Саммит {1}пройдёт{/1} в июне.', 'The summit {1}takes place in June.').errors).toContain(
      'placeholder_mismatch',
    );
    expect(
      checks('Саммит {1}пройдёт{/1} в июне.', 'The summit {/1}takes place{1} in June.').errors,
    ).toContain('placeholder_order');
  });

  it('catches a missing glossary term', () => {
    expect(
      checks('Саммит ОДКБ пройдёт в июне.', 'The Collective Security summit is in June.').errors,
    ).toEqual(['glossary_term_missing']);
  });

  it('flags empty, untranslated and missing URLs as errors; ratio and punctuation as warnings', () => {
    expect(checks('Текст.', '  ').errors).toEqual(['empty']);
    expect(checks('Саммит пройдёт в июне.', 'Саммит пройдёт в июне.').errors).toEqual(['untranslated']);
    expect(checks('См. https://odkb.example/news сейчас.', 'See now.').errors).toEqual(['url_missing']);
    const w = checks('Саммит пройдёт в июне этого года.', 'Summit');
    expect(w.errors).toEqual([]);
    expect(w.warnings).toEqual(expect.arrayContaining(['length_ratio', 'punctuation']));
  });
});
