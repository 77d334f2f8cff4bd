import { describe, expect, it } from 'vitest';
import { negotiateLanguage, parseAcceptLanguage } from '../../src/i18n/negotiate.js';

const LANGS = ['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg'];

describe('negotiateLanguage', () => {
  it('takes a configured cookie first', () => {
    expect(negotiateLanguage(LANGS, 'ru', 'tg', 'en')).toBe('tg');
    expect(negotiateLanguage(LANGS, 'ru', 'fr', 'en')).toBe('en');
  });
  it('honours q-values and matches a regional tag to its language', () => {
    expect(negotiateLanguage(LANGS, 'ru', undefined, 'fr-CH, fr;q=0.9, en;q=0.8, be;q=0.85')).toBe('be');
    expect(negotiateLanguage(LANGS, 'ru', undefined, 'en-US')).toBe('en');
    expect(negotiateLanguage(LANGS, 'ru', undefined, 'kk;q=0, en;q=0.1')).toBe('en');
  });
  it('falls back to the source language for nothing usable', () => {
    expect(negotiateLanguage(LANGS, 'ru', undefined, undefined)).toBe('ru');
    expect(negotiateLanguage(LANGS, 'ru', undefined, 'de, *;q=0.1')).toBe('ru');
    expect(negotiateLanguage(LANGS, 'ru', undefined, ';;;,q=,<script>')).toBe('ru');
  });
  it('keeps header order for equal weights', () => {
    expect(parseAcceptLanguage('hy, kk')).toEqual(['hy', 'kk']);
  });
});
