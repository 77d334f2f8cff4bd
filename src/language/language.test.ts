import { describe, expect, it } from 'vitest';
import {
  analyze,
  analyzeQuery,
  analyzeTokens,
  foldWord,
  latinToCyrillic,
  stem,
  stemmerKind,
} from './index.js';

const same = (lang: string, words: string[]) => new Set(words.map((w) => stem(lang, w)));

describe('text analysis', () => {
  it('stems Russian inflections to one term (Snowball)', () => {
    expect(same('ru', ['встречи', 'встречу', 'встреча', 'встречей', 'Встречах'])).toEqual(
      new Set(['встреч']),
    );
    expect(same('ru', ['заседание', 'заседании', 'заседания'])).toHaveProperty('size', 1);
    expect(stemmerKind('ru')).toBe('snowball');
  });

  it('folds ё, case and Latin accents', () => {
    expect(foldWord('ru', 'ЁЛКА')).toBe('елка');
    expect(foldWord('en', 'Café')).toBe('cafe');
    expect(stem('ru', 'Учёные')).toBe(stem('ru', 'ученые'));
  });

  it('stems English and Armenian with Snowball', () => {
    expect(same('en', ['meetings', 'meeting', 'Meet'])).toEqual(new Set(['meet']));
    expect(same('hy', ['հանդիպում', 'հանդիպումներ'])).toHaveProperty('size', 1);
    expect(stemmerKind('hy')).toBe('snowball');
  });

  it('keeps declined surnames and towns together, apart from common words', () => {
    const terms = (text: string) => analyze('ru', text);
    expect(terms('Встреча с Семериковым')).toContain('семериков');
    expect(terms('Заявил Семериков')).toContain('семериков');
    expect(terms('Визит Семерикова')).toContain('семериков');
    expect(terms('Форум в Ростове')).toEqual(expect.arrayContaining(['ростов']));
    expect(terms('Форум в Ростове')).not.toContain('рост');
    expect(terms('Рост цен')).toContain('рост');
    expect(analyzeQuery('ru', 'рост')).toEqual([['рост']]);
    expect(analyzeQuery('ru', 'Семерикова')).toEqual([['семериков']]);
    expect(analyzeQuery('ru', 'семериков')[0]).toContain('семериков');
  });

  it('folds Kazakh, Kyrgyz and Tajik letters and strips their endings', () => {
    expect(foldWord('kk', 'ҒҚҢӨҰҮІҺ')).toBe('гкноууих');
    expect(foldWord('tg', 'ҳҷӣӯ')).toBe('хчиу');
    expect(
      same('kk', ['Қазақстан', 'Қазақстанның', 'Қазақстанда', 'Қазақстанға', 'Казакстан']),
    ).toHaveProperty('size', 1);
    expect(same('kk', ['кездесу', 'кездесуі', 'кездесуде', 'кездесулер', 'кездесулерде'])).toEqual(
      new Set(['кездесу']),
    );
    expect(same('ky', ['жолугушуу', 'жолугушуулар', 'жолугушууда'])).toHaveProperty('size', 1);
    expect(same('tg', ['мулоқот', 'мулоқоти', 'мулоқотҳо', 'мулоқотҳои'])).toEqual(new Set(['мулокот']));
    expect(same('tg', ['Тоҷикистон', 'Тоҷикистонро', 'Таджикистон'])).toHaveProperty('size', 2);
    expect(stemmerKind('kk')).toBe('suffixes');
  });

  it('folds Belarusian і and ў', () => {
    expect(foldWord('be', 'Беларусь і ўрад')).toBe('беларусь и урад');
    expect(same('be', ['сустрэча', 'сустрэчы', 'сустрэчу'])).toHaveProperty('size', 1);
  });

  it('transliterates Latin names into Cyrillic candidates', () => {
    expect(latinToCyrillic('Tasmagambetov')[0]).toBe('тасмагамбетов');
    expect(latinToCyrillic('Tokayev')[0]).toBe('токаев');
    expect(latinToCyrillic('Zhaparov')[0]).toBe('жапаров');
    expect(latinToCyrillic('Japarov')).toContain('жапаров');
    expect(latinToCyrillic('Тасмагамбетов')).toEqual([]);
    const [word] = analyzeQuery('ru', 'Tasmagambetov');
    expect(word).toContain(analyze('ru', 'с Тасмагамбетовым')[1]);
  });

  it('gives each word its offsets for highlighting', () => {
    const text = 'Встреча в Бишкеке';
    expect(analyzeTokens('ru', text).map((t) => [text.slice(t.start, t.end), t.terms])).toEqual([
      ['Встреча', ['встреч']],
      ['в', ['в']],
      ['Бишкеке', ['бишкек']],
    ]);
  });
});
