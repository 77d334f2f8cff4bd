import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { memoizedT } from '../../src/i18n/memo-t.js';

describe('memoizedT: labels remembered per language', () => {
  it('answers what i18next answers, for each language, missing keys and defaults included', async () => {
    const i18n = await createI18n(['ru', 'en', 'kk'], 'en');
    const label = memoizedT(i18n);
    for (const lng of ['ru', 'en', 'kk']) {
      for (const key of ['site.name', 'nav.home', 'nav.search', 'no.such.key']) {
        expect(label(lng, key)).toBe(i18n.t(key, { lng }));
        expect(label(lng, key)).toBe(i18n.t(key, { lng })); // the remembered answer too
      }
      expect(label(lng, 'editor:status.nonesuch', 'nonesuch')).toBe('nonesuch');
      expect(label(lng, 'editor:status.published', 'published')).toBe(
        i18n.t('editor:status.published', { lng, defaultValue: 'published' }),
      );
    }
    expect(label('ru', 'site.name')).not.toBe(label('en', 'site.name'));
  });

  it('looks a label up once, and stays bounded when keys come from data', async () => {
    const i18n = await createI18n(['ru', 'en'], 'en');
    const t = vi.spyOn(i18n, 't');
    const label = memoizedT(i18n, 3);
    label('ru', 'nav.home');
    label('ru', 'nav.home');
    expect(t).toHaveBeenCalledTimes(1);
    for (const s of ['a', 'b', 'c', 'd']) label('ru', `section.${s}`, s);
    expect(t).toHaveBeenCalledTimes(5);
    label('ru', 'nav.home'); // emptied when it filled up: looked up again
    expect(t).toHaveBeenCalledTimes(6);
  });
});
