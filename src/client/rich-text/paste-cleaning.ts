/**
 * Word's HTML: conditional comments, `<o:p>`, styles, and lists written as paragraphs
 * (`MsoListParagraph` with a bullet or number glyph). Turn those into real lists; the schema
 * drops the rest.
 */
export function cleanPastedHtml(html: string): string {
  let out = html
    .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\/?o:p[^>]*>/gi, '')
    .replace(/<(style|meta|link|xml)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<(meta|link)[^>]*>/gi, '');
  if (!/MsoList/i.test(out)) return out;
  const doc = new DOMParser().parseFromString(out, 'text/html');
  const paras = [...doc.body.querySelectorAll('p')].filter((p) => /MsoList/i.test(p.className));
  let list: HTMLElement | null = null;
  for (const p of paras) {
    const text = p.textContent ?? '';
    const numbered = /^\s*(\d+|[a-z])[.)]\s/i.test(text);
    const prev = p.previousElementSibling;
    if (!list || prev !== list) {
      list = doc.createElement(numbered ? 'ol' : 'ul');
      p.before(list);
    }
    const li = doc.createElement('li');
    li.innerHTML = p.innerHTML.replace(/^\s*(?:[·•▪o§-]|\d+[.)]|[a-z][.)])(?:\s|&nbsp;)+/i, '');
    // Word puts the glyph in its own span: drop a leading span holding only a glyph.
    const first = li.firstElementChild;
    if (first && /^\s*(?:[·•▪o§-]|\d+[.)])\s*$/.test(first.textContent ?? '')) first.remove();
    list.append(li);
    p.remove();
  }
  out = doc.body.innerHTML;
  return out;
}
