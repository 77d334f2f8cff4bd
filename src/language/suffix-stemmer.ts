/**
 * A small suffix stripper for languages Snowball has no stemmer for (Kazakh, Kyrgyz, Tajik).
 * It works on folded words (see fold.ts), so one list covers the vowel-harmony variants that
 * folding merged. Endings come off in the order the grammar stacks them, from the end: one
 * case ending, then one possessive, then one plural (Turkic: stem + plural + possessive +
 * case), each the longest that fits, never leaving fewer than MIN_STEM letters. Country names
 * in -стан/-стон are kept whole (their -тан/-он would otherwise read as an ending).
 */
const MIN_STEM = 4;

/* prettier-ignore */
const TURKIC: string[][] = [
  [ // case: genitive, dative, accusative, locative, ablative, instrumental
    'нын', 'нин', 'нун', 'дын', 'дин', 'дун', 'тын', 'тин', 'тун',
    'га', 'ге', 'го', 'ка', 'ке', 'ко', 'на', 'не', 'но',
    'ны', 'ни', 'ну', 'ды', 'ди', 'ду', 'ты', 'ти', 'ту',
    'нда', 'нде', 'ндо', 'да', 'де', 'до', 'та', 'те', 'то',
    'нан', 'нен', 'нон', 'дан', 'ден', 'дон', 'тан', 'тен', 'тон',
    'мен', 'бен', 'пен', 'менен', 'бенен', 'пенен',
  ],
  [ // possessive
    'ымыз', 'имиз', 'умуз', 'мыз', 'миз', 'ыныз', 'иниз', 'ныз', 'низ',
    'сы', 'си', 'ым', 'им', 'ум', 'ын', 'ин', 'ы', 'и',
  ],
  [ // plural
    'лар', 'лер', 'лор', 'дар', 'дер', 'дор', 'тар', 'тер', 'тор',
  ],
];

/* prettier-ignore */
const TAJIK: string[][] = [
  ['ро', 'е', 'и'], // object marker, indefinite article, izofat
  ['амон', 'атон', 'ашон', 'ам', 'ат', 'аш'], // possessive
  ['хо', 'гон', 'вон', 'ён', 'он'], // plural
];

const PROTECTED = ['стан', 'стон'];
const AFTER_POSSESSIVE = new Set(['на', 'не', 'но', 'нда', 'нде', 'ндо']);
const VOWEL = /[аеиоуыэюя]/;

const byLength = (slots: string[][]) => slots.map((s) => [...new Set(s)].sort((a, b) => b.length - a.length));
const SLOTS: Record<string, string[][]> = { kk: byLength(TURKIC), ky: byLength(TURKIC), tg: byLength(TAJIK) };

/** Whether this module has a suffix list for `lang`. */
export function hasSuffixList(lang: string): boolean {
  return lang in SLOTS;
}

const isProtected = (w: string) => PROTECTED.some((p) => w.endsWith(p));

/** `word` (already folded) with its inflectional endings removed. */
export function stripSuffixes(lang: string, word: string): string {
  const slots = SLOTS[lang];
  if (!slots) return word;
  let w = word;
  for (const slot of slots) {
    if (isProtected(w)) break;
    const fits = slot.filter((s) => {
      if (!w.endsWith(s)) return false;
      const stem = w.slice(0, -s.length);
      // A one-letter ending only comes off a long word or a verbal noun in -у (өсу|і,
      // кездесу|і); на/не/нда/нде follow a 3rd-person possessive (үйі|не), not any vowel
      // (Астана is not Аста|на); and the stem keeps a vowel.
      if (
        s.length === 1
          ? stem.length <= MIN_STEM && !(stem.length >= 3 && stem.endsWith('у'))
          : stem.length < MIN_STEM
      )
        return false;
      if (AFTER_POSSESSIVE.has(s) && !/[иы]$/.test(stem)) return false;
      return VOWEL.test(stem);
    });
    // Prefer the ending that leaves a protected name whole («Қазақстан|да», not «Қазақста|нда»).
    const suffix = fits.find((s) => isProtected(w.slice(0, -s.length))) ?? fits[0];
    if (suffix) w = w.slice(0, -suffix.length);
  }
  return w;
}
