import { diffWords } from 'diff';

/** One run of a word-level diff: text common to both, only in the old text, or only in the new. */
export interface DiffPart {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

const segmenters = new Map<string, Intl.Segmenter>();

/**
 * Word-level difference between a translation-memory source and the current source, so that
 * "Минске" → "Москве" stands out as a whole word. Words come from `Intl.Segmenter` (the
 * `diff` library's own tokenizer treats Cyrillic and Armenian letters as separators).
 */
export function wordDiff(before: string, after: string, lang = 'und'): DiffPart[] {
  let segmenter = segmenters.get(lang);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(lang, { granularity: 'word' });
    segmenters.set(lang, segmenter);
  }
  return diffWords(before, after, { intlSegmenter: segmenter }).map((c) => ({
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
    text: c.value,
  }));
}
