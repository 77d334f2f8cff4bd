/**
 * Pasted text for a one-line field (a title, a lead): line breaks, tabs and runs of spaces
 * become one space; invisible junk that Word and web pages carry (zero-width characters,
 * soft hyphens, byte-order marks, control characters) goes; a no-break space stays (typography). A browser's own `<input>` would
 * drop line breaks outright and glue the words either side together.
 */
export const singleLine = (text: string): string =>
  text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\t\n\r\f\u2028\u2029 ]+/g, ' ');

/** Makes a paste into a text input one clean line, inserted where the selection is. */
export function singleLinePaste(input: HTMLInputElement): void {
  input.addEventListener('paste', (e) => {
    const text = e.clipboardData?.getData('text/plain');
    if (text === undefined) return;
    e.preventDefault();
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    input.setRangeText(singleLine(text), start, end, 'end');
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
