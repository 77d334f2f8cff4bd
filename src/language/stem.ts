import { stemmer as arabic } from '@orama/stemmers/arabic';
import { stemmer as armenian } from '@orama/stemmers/armenian';
import { stemmer as bulgarian } from '@orama/stemmers/bulgarian';
import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as finnish } from '@orama/stemmers/finnish';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as greek } from '@orama/stemmers/greek';
import { stemmer as hungarian } from '@orama/stemmers/hungarian';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as lithuanian } from '@orama/stemmers/lithuanian';
import { stemmer as norwegian } from '@orama/stemmers/norwegian';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as romanian } from '@orama/stemmers/romanian';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as serbian } from '@orama/stemmers/serbian';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { stemmer as swedish } from '@orama/stemmers/swedish';
import { stemmer as turkish } from '@orama/stemmers/turkish';
import { stemmer as ukrainian } from '@orama/stemmers/ukrainian';
import { foldStem, foldWord } from './fold.js';
import { hasSuffixList, stripSuffixes } from './suffix-stemmer.js';

type Stemmer = (word: string) => string;

/**
 * Snowball stemmers (Orama's ports) by ISO 639-1 code. Belarusian has no Snowball stemmer;
 * after і/ў folding its endings are close enough to Russian's for search. Kazakh, Kyrgyz and
 * Tajik use our own suffix lists (suffix-stemmer.ts).
 */
const SNOWBALL: Record<string, Stemmer> = {
  ar: arabic,
  be: russian,
  bg: bulgarian,
  da: danish,
  de: german,
  el: greek,
  en: english,
  es: spanish,
  fi: finnish,
  fr: french,
  hu: hungarian,
  hy: armenian,
  it: italian,
  lt: lithuanian,
  nb: norwegian,
  nl: dutch,
  no: norwegian,
  pt: portuguese,
  ro: romanian,
  ru: russian,
  sr: serbian,
  sv: swedish,
  tr: turkish,
  uk: ukrainian,
};

/** How `lang` is stemmed: a Snowball algorithm, our suffix list, or none (folding only). */
export function stemmerKind(lang: string): 'snowball' | 'suffixes' | 'none' {
  if (lang in SNOWBALL) return 'snowball';
  return hasSuffixList(lang) ? 'suffixes' : 'none';
}

/** The stem of an already folded word (see foldWord). */
export function stemFolded(lang: string, folded: string): string {
  const snowball = SNOWBALL[lang];
  // Armenian's definite article -ը is not an ending Snowball removes (աճը, նիստը).
  if (lang === 'hy' && folded.length > 2 && folded.endsWith('ը')) folded = folded.slice(0, -1);
  const stem = snowball ? snowball(folded) : stripSuffixes(lang, folded);
  return foldStem(stem || folded);
}

/** The search stem of one word in `lang`: folded (case, ё, language letters), then stemmed. */
export function stem(lang: string, word: string): string {
  return stemFolded(lang, foldWord(lang, word));
}
