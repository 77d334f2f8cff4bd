import { describe, expect, it } from 'vitest';
import { assembleBody, segmentRelease } from '../../src/workflow/segmenter.js';

describe('segmenter', () => {
  it('splits paragraphs and sentences and keeps inline markup as numbered placeholders', () => {
    const body =
      '<p>Заседание <a href="https://odkb.example/a?b=1&amp;c=2">ОДКБ</a> пройдёт 27 июня. Участвуют <strong>семь</strong> стран!</p><h2>Итоги</h2><p>Текст<br />дальше.</p>';
    const { segments, skeleton } = segmentRelease({ title: 'Заголовок', lead: 'Лид', body });
    expect(segments.map((s) => [s.field, s.source])).toEqual([
      ['title', 'Заголовок'],
      ['lead', 'Лид'],
      ['body', 'Заседание {1}ОДКБ{/1} пройдёт 27 июня.'],
      ['body', 'Участвуют {2}семь{/2} стран!'],
      ['body', 'Итоги'],
      ['body', 'Текст'],
      ['body', 'дальше.'],
    ]);
    expect(segments[2].tags).toEqual({ '1': '<a href="https://odkb.example/a?b=1&amp;c=2">', '/1': '</a>' });
    // Identity translation reassembles the original HTML exactly.
    const same = assembleBody(
      skeleton,
      segments.map((s) => ({ i: s.i, target: s.source, tags: s.tags })),
    );
    expect(same).toBe(body);
  });

  it('splits at line breaks, labels headings, list items and captions, and makes image alt and title segments', () => {
    const body =
      '<h2>Итоги встречи</h2><ul><li>Первый пункт</li><li>Второй <b>важный</b> пункт</li></ul>' +
      '<p>Строка одна<br>строка две</p>' +
      '<figure><img src="/m/1.jpg" alt="Главы &quot;пятёрки&quot; в Минске" title="Фото пресс-службы"><figcaption>Встреча в Минске</figcaption></figure>' +
      '<p><b>жирная<br>строка</b></p>';
    const { segments, skeleton } = segmentRelease({ title: 'Заголовок', body });
    expect(segments.slice(1).map((s) => [s.role, s.source])).toEqual([
      ['heading', 'Итоги встречи'],
      ['list_item', 'Первый пункт'],
      ['list_item', 'Второй {1}важный{/1} пункт'],
      ['paragraph', 'Строка одна'],
      ['paragraph', 'строка две'],
      ['alt', 'Главы "пятёрки" в Минске'],
      ['image_title', 'Фото пресс-службы'],
      ['caption', 'Встреча в Минске'],
      // A break inside an inline element stays a code: a segment never ends inside one.
      ['paragraph', '{1}жирная{2/}строка{/1}'],
    ]);
    const same = assembleBody(
      skeleton,
      segments.map((s) => ({ i: s.i, target: s.source, tags: s.tags })),
    );
    expect(same).toBe(body);
    const english: Record<number, string> = {
      6: 'Heads of the "five" in Minsk',
      7: 'Press service photo',
      8: 'The meeting in Minsk',
    };
    const translated = assembleBody(
      skeleton,
      segments.map((s) => ({ i: s.i, target: english[s.i] ?? s.source, tags: s.tags })),
    );
    expect(translated).toContain(
      '<img src="/m/1.jpg" alt="Heads of the &quot;five&quot; in Minsk" title="Press service photo">',
    );
    expect(translated).toContain('<figcaption>The meeting in Minsk</figcaption>');
    expect(translated).not.toContain('Главы');
  });

  it('does not split inside markup or after abbreviations', () => {
    const { segments } = segmentRelease({
      title: 't',
      body: '<p>В 2019 г. Москва приняла <em>саммит. Он прошёл</em> успешно. Конец.</p>',
    });
    expect(segments.filter((s) => s.field === 'body').map((s) => s.source)).toEqual([
      'В 2019 г. Москва приняла {1}саммит. Он прошёл{/1} успешно.',
      'Конец.',
    ]);
  });

  it('escapes translated text and puts the markup back', () => {
    const { segments, skeleton } = segmentRelease({ title: 't', body: '<p>Один <b>два</b>.</p>' });
    const html = assembleBody(skeleton, [
      { i: 1, target: 'One & <b>two</b> {1}2{/1}.', tags: segments[1].tags },
    ]);
    expect(html).toBe('<p>One &amp; &lt;b&gt;two&lt;/b&gt; <b>2</b>.</p>');
  });
});
