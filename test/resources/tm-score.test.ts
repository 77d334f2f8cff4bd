import { describe, expect, it } from 'vitest';
import { bandKeys } from '../../src/workflow/tm/tm-minhash.js';
import { bandOf, boundedLevenshtein, diffSources, scoreMatch } from '../../src/workflow/tm/tm-score.js';

describe('TM match scores', () => {
  it('puts scores in the bands translators know', () => {
    expect([101, 100, 99, 95, 94, 85, 84, 75, 74].map(bandOf)).toEqual([
      '101',
      '100',
      '95-99',
      '95-99',
      '85-94',
      '85-94',
      '75-84',
      '75-84',
      null,
    ]);
  });

  it('scores an identical source 100, or 101 in the same context', () => {
    const s = 'Заседание пройдёт в июне.';
    expect(scoreMatch(s, 'Заседание  пройдёт в июне.')).toEqual({ percent: 100, band: '100', penalties: [] });
    expect(scoreMatch(s, s, true).percent).toBe(101);
  });

  it('takes points off for a differing number, never reaching 100', () => {
    const m = scoreMatch('Заседание пройдёт 14 июня 2026 года.', 'Заседание пройдёт 12 июня 2026 года.');
    expect(m.penalties).toEqual([{ code: 'numbers', points: 2 }]);
    expect(m.percent).toBe(98);
    expect(m.band).toBe('95-99');
    const two = scoreMatch('Заседание пройдёт 14 июня 2027 года.', 'Заседание пройдёт 12 июня 2026 года.');
    expect(two.percent).toBe(96);
  });

  it('takes points off for differing inline codes and for letter case', () => {
    const codes = scoreMatch('Министры {1}обороны{/1} провели встречу.', 'Министры обороны провели встречу.');
    expect(codes.penalties).toEqual([{ code: 'inline_codes', points: 2 }]);
    expect(codes.percent).toBe(98);
    const kase = scoreMatch('министры обороны провели встречу.', 'Министры обороны провели встречу.');
    expect(kase.penalties).toEqual([{ code: 'case', points: 1 }]);
    expect(kase.percent).toBe(99);
  });

  it('scores word changes in the lower bands and drops what is below 75 %', () => {
    const near = scoreMatch(
      'Министры обороны провели встречу в Минске.',
      'Министры обороны провели встречу в Москве.',
    );
    expect(near.band).toBe('85-94');
    const far = scoreMatch(
      'Министры обороны стран ОДКБ провели встречу в Москве.',
      'Министры обороны провели встречу в Москве.',
    );
    expect(far.band).toBe('75-84');
    expect(scoreMatch('Министры финансов обсудили бюджет.', 'Министры обороны провели встречу.').band).toBe(
      null,
    );
  });

  it('diffs the memory source against the current one', () => {
    expect(diffSources('встречу в Москве.', 'встречу в Минске.')).toEqual([
      { op: 'equal', text: 'встречу в ' },
      { op: 'delete', text: 'Москве' },
      { op: 'insert', text: 'Минске' },
      { op: 'equal', text: '.' },
    ]);
  });

  it('gives near-duplicates shared MinHash bands and unrelated text almost none', () => {
    const a = bandKeys('Министры обороны провели встречу в Москве.');
    const b = bandKeys('Министры обороны провели встречу в Минске.');
    const c = bandKeys('The weather in the capital was sunny all week long.');
    expect(a).toHaveLength(20);
    expect(a.filter((k) => b.includes(k)).length).toBeGreaterThan(0);
    expect(a.filter((k) => c.includes(k))).toEqual([]);
    expect(bandKeys('…')).toEqual([]);
  });
});

describe('bounded edit distance', () => {
  const full = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i][j] = Math.min(
          d[i - 1][j] + 1,
          d[i][j - 1] + 1,
          d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
    return d[a.length][b.length];
  };
  it('equals the full Levenshtein distance within the bound and says "more" beyond it', () => {
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const word = () =>
      Array.from({ length: Math.floor(rnd() * 30) }, () => 'абвгд '[Math.floor(rnd() * 6)]).join('');
    for (let n = 0; n < 500; n++) {
      const a = word();
      const b = rnd() < 0.5 ? word() : a.replace(/а/g, 'б');
      const k = Math.floor(rnd() * 12);
      const d = full(a, b);
      expect(boundedLevenshtein(a, b, k)).toBe(d <= k ? d : k + 1);
    }
  });
});
