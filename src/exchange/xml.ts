import { SaxesParser } from 'saxes';

/**
 * A small element tree over the saxes parser, for the exchange formats (TMX, TBX, XLIFF).
 * saxes never resolves external entities or DTDs, so a hostile file cannot read local files
 * or expand entities; a malformed one throws an `XmlError` with its line.
 */

export interface XmlElement {
  name: string;
  /** Local name (without prefix). */
  local: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  line: number;
}
export type XmlNode = XmlElement | string;

export class XmlError extends Error {}

export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const root: XmlElement = { name: '#root', local: '#root', attrs: {}, children: [], line: 0 };
  const stack: XmlElement[] = [root];
  parser.on('opentag', (tag) => {
    const el: XmlElement = {
      name: tag.name,
      local: tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name,
      attrs: tag.attributes as Record<string, string>,
      children: [],
      line: parser.line,
    };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => void stack.pop());
  const addText = (t: string) => {
    const top = stack.at(-1)!;
    const last = top.children.at(-1);
    if (typeof last === 'string') top.children[top.children.length - 1] = last + t;
    else top.children.push(t);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('doctype', () => {
    throw new XmlError('a DOCTYPE is not accepted');
  });
  try {
    parser.write(text).close();
  } catch (err) {
    throw new XmlError((err as Error).message);
  }
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!top) throw new XmlError('no root element');
  return top;
}

export const elements = (el: XmlElement, local?: string): XmlElement[] =>
  el.children.filter((c): c is XmlElement => typeof c !== 'string' && (!local || c.local === local));

export const child = (el: XmlElement, local: string) => elements(el, local)[0];

/** Every descendant element with that local name, in document order. */
export function descendants(el: XmlElement, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of elements(el)) {
    if (c.local === local) out.push(c);
    out.push(...descendants(c, local));
  }
  return out;
}

export const textOf = (el: XmlElement): string =>
  el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');

/** Attribute value with or without a namespace prefix (`xml:lang`, `lang`). */
export const attr = (el: XmlElement, name: string): string | undefined =>
  el.attrs[name] ?? Object.entries(el.attrs).find(([k]) => k.endsWith(`:${name}`))?.[1];

// XML 1.0 forbids most C0 controls even as character references: drop them.
// eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const escapeChars = (s: string) => s.replace(FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;');

export const escapeText = (s: string) => escapeChars(s).replace(/>/g, '&gt;');
export const escapeAttr = (s: string) =>
  escapeChars(s).replace(/"/g, '&quot;').replace(/>/g, '&gt;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

/** `name="value"` pairs for the defined attributes. */
export const attrs = (a: Record<string, string | number | undefined>) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
