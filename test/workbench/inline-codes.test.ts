import { describe, expect, it } from 'vitest';
import {
  hasPlaceholder,
  partsToText,
  segmentParts,
  tokenParts,
  tokenWording,
  type CodeToken,
} from '../../src/shared/inline-codes.js';

/**
 * The two directions between the placeholder form and text runs with tokens, which the
 * server's pages and the target editor both use, and the tokens' shared wording.
 */
const labels = {
  code: { bold: 'bold', link: 'link', break: 'line break', other: 'tag' },
  codeKind: { open: 'start', close: 'end', empty: '' },
};

describe('inline codes: parts and placeholder form', () => {
  it.each([
    '',
    'plain text',
    '{1}',
    'The {1}CSTO{/1} meeting is {2}tomorrow{/2}.',
    'line{3/}break',
    '{1}{2}nested{/2}{/1} and {12}',
    'braces { 1 } and {x} stay text',
  ])('segmentParts then partsToText gives back %j', (text) => {
    expect(partsToText(segmentParts(text))).toBe(text);
  });

  it('cuts text and codes apart, and knows a placeholder from other braces', () => {
    expect(segmentParts('a{1}b{/1}{2/}')).toEqual([
      { text: 'a' },
      { code: '{1}', kind: 'open', n: 1 },
      { text: 'b' },
      { code: '{/1}', kind: 'close', n: 1 },
      { code: '{2/}', kind: 'empty', n: 2 },
    ]);
    expect(hasPlaceholder('typed {1} by hand')).toBe(true);
    expect(hasPlaceholder('{ 1 } {x} {/}')).toBe(false);
  });

  it('words a token the same for pages and editor: label, accessible name, tooltip with the URL', () => {
    const tags = { '1': '<a href="https://odkb.example/a?x=1&amp;y=2">', '/1': '</a>', '2/': '<br>' };
    const [link, , , lineBreak] = tokenParts('{1}CSTO{/1}{2/}', tags) as CodeToken[];
    expect(tokenWording(link, labels)).toEqual({
      label: 'link',
      name: 'link start 1',
      title: 'link start: https://odkb.example/a?x=1&y=2 — {1}',
    });
    expect(tokenWording(lineBreak, labels)).toEqual({
      label: 'line break',
      name: 'line break 2',
      title: 'line break — {2/}',
    });
  });
});
