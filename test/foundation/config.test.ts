import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.languages).toEqual(['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg']);
    expect(c.sourceLanguage).toBe('ru');
    expect(c.pivots.tg).toBe('ru');
  });

  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ NEWSROOM_LANGUAGES: 'ru,EN!' })).toThrow(/NEWSROOM_LANGUAGES/);
    expect(() => loadConfig({ NEWSROOM_SOURCE_LANGUAGE: 'fr' })).toThrow(/NEWSROOM_SOURCE_LANGUAGE 'fr'/);
    expect(() => loadConfig({ NEWSROOM_LANGUAGES: 'ru,en,xx' })).toThrow(
      /locales\/ has no folder.*xx|xx.*locales/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ NEWSROOM_TIMEZONE: 'Mars/Olympus' })).toThrow(ConfigError);
  });

  it('parses pivot chains and refuses cycles', () => {
    expect(loadConfig({ NEWSROOM_PIVOTS: 'tg:en' }).pivots).toMatchObject({ tg: 'en', en: 'ru', hy: 'ru' });
    expect(() => loadConfig({ NEWSROOM_PIVOTS: 'tg:en,en:tg' })).toThrow(/cycle|NEWSROOM_PIVOTS/);
  });
});
