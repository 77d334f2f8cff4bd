/**
 * Text analysis for search and term matching, one entry point per use:
 * - `analyze(lang, text)`: the distinct terms an index stores for a text;
 * - `analyzeTokens(lang, text)`: each word with its offsets and terms (highlighting, snippets);
 * - `analyzeQuery(lang, query)`: per query word, the terms any of which may match it;
 * - `stem(lang, word)`: one word's term, for matching a glossary entry against inflected text.
 * See docs/reader.md, "Text analysis".
 */
export { analyze, analyzeQuery, analyzeTokens, type Token } from './analyze.js';
export { foldWord } from './fold.js';
export { stem, stemmerKind } from './stem.js';
export { latinToCyrillic, toLatin } from './transliterate.js';
