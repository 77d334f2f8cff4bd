import { Node, type NodeViewRendererProps } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import type { ImageStrings } from './image-strings.js';

/** What a figure holds: the picture (one of our renditions, or any http(s) image) and its texts. */
export interface FigureAttrs {
  src: string;
  alt: string;
  title: string | null;
  width: number | null;
  height: number | null;
  caption: string;
  credit: string;
}

/** Picture addresses kept from pasted or stored HTML; `data:`, `blob:` and `file:` ones are dropped. */
const USABLE_SRC = /^(?:https?:\/\/|\/(?!\/))/i;

const dimension = (el: Element, name: string) => {
  const n = Number(el.getAttribute(name));
  return Number.isInteger(n) && n > 0 ? n : null;
};

function imgAttrs(img: Element): Omit<FigureAttrs, 'caption' | 'credit'> | false {
  const src = img.getAttribute('src') ?? '';
  if (!USABLE_SRC.test(src)) return false;
  return {
    src,
    alt: img.getAttribute('alt') ?? '',
    title: img.getAttribute('title'),
    width: dimension(img, 'width'),
    height: dimension(img, 'height'),
  };
}

/**
 * `<figure><img><figcaption>Caption <small>Credit</small></figcaption></figure>`, the shape
 * the sanitiser keeps and the reader's presenter enhances (a `<picture>` with every rendition,
 * the credit labelled). The credit is the figcaption's last `<small>`.
 */
function figureAttrs(figure: HTMLElement): FigureAttrs | false {
  const img = figure.querySelector('img');
  const picture = img ? imgAttrs(img) : false;
  if (!picture) return false;
  const figcaption = figure.querySelector('figcaption')?.cloneNode(true) as HTMLElement | undefined;
  const small = figcaption ? [...figcaption.querySelectorAll('small')].pop() : undefined;
  const credit = small?.textContent?.trim() ?? '';
  small?.remove();
  return { ...picture, caption: figcaption?.textContent?.replace(/\s+/g, ' ').trim() ?? '', credit };
}

let uniqueId = 0;
/** The src of a picture just uploaded: its figure's alt field takes the focus when it appears. */
let focusOnInsert: string | null = null;
export const focusAltOfNextFigure = (src: string) => {
  focusOnInsert = src;
};

/**
 * A figure in the editor: the picture with fields for its alt text (required: the form cannot
 * be saved with a picture left undescribed), caption and credit, in the language of the version
 * being edited, and a remove button. Each field edit is a transaction, so autosave and undo
 * see it like any typing.
 */
function figureView(strings: ImageStrings, lang: string) {
  return ({ node, editor, getPos }: NodeViewRendererProps) => {
    const id = `figure-${++uniqueId}`;
    const dom = document.createElement('figure');
    dom.className = 'rich-figure';
    dom.contentEditable = 'false';
    dom.setAttribute('aria-labelledby', `${id}-label`);
    const label = document.createElement('span');
    label.id = `${id}-label`;
    label.className = 'visually-hidden';
    label.textContent = strings.figure;
    const img = document.createElement('img');
    const fields = document.createElement('div');
    fields.className = 'rich-figure-fields';
    const input = (name: 'alt' | 'caption' | 'credit', text: string) => {
      const l = document.createElement('label');
      l.htmlFor = `${id}-${name}`;
      l.textContent = text;
      const i = document.createElement('input');
      i.type = 'text';
      i.id = `${id}-${name}`;
      i.maxLength = name === 'credit' ? 300 : name === 'alt' ? 1000 : 2000;
      if (name !== 'credit' && lang) i.lang = lang;
      i.addEventListener('input', () => {
        const pos = getPos();
        if (typeof pos !== 'number') return;
        editor.view.dispatch(editor.view.state.tr.setNodeAttribute(pos, name, i.value));
      });
      fields.append(l, i);
      return i;
    };
    const alt = input('alt', strings.alt);
    alt.required = true;
    const caption = input('caption', strings.caption);
    const credit = input('credit', strings.credit);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'secondary';
    remove.textContent = strings.remove;
    remove.addEventListener('click', () => {
      const pos = getPos();
      if (typeof pos === 'number')
        editor
          .chain()
          .focus()
          .deleteRange({ from: pos, to: pos + 1 })
          .run();
    });
    fields.append(remove);
    dom.append(label, img, fields);

    const show = (n: PmNode) => {
      const a = n.attrs as FigureAttrs;
      if (img.getAttribute('src') !== a.src) img.src = a.src;
      img.alt = a.alt;
      if (a.width && a.height) {
        img.width = a.width;
        img.height = a.height;
      }
      // Only a field's own value is overwritten (undo, restore), never while it is typed in.
      for (const [el, value] of [
        [alt, a.alt],
        [caption, a.caption],
        [credit, a.credit],
      ] as const)
        if (el.value !== value) el.value = value;
    };
    show(node);
    if (focusOnInsert === node.attrs.src) {
      focusOnInsert = null;
      requestAnimationFrame(() => alt.focus());
    }
    return {
      dom,
      update: (n: PmNode) => {
        if (n.type !== node.type) return false;
        show(n);
        return true;
      },
      // Typing, pasting and clicking in the fields belong to the fields, not to ProseMirror.
      stopEvent: (event: Event) => event.target instanceof HTMLElement && fields.contains(event.target),
      ignoreMutation: () => true,
    };
  };
}

export function figureNode(strings: ImageStrings, lang: string) {
  return Node.create({
    name: 'figure',
    group: 'block',
    atom: true,
    selectable: true,
    draggable: false,
    addAttributes: () => ({
      src: { default: '' },
      alt: { default: '' },
      title: { default: null },
      width: { default: null },
      height: { default: null },
      caption: { default: '' },
      credit: { default: '' },
    }),
    parseHTML: () => [
      { tag: 'figure', getAttrs: (el) => figureAttrs(el) },
      // A bare picture (pasted from a web page, or an older body) becomes a figure too.
      { tag: 'img[src]', getAttrs: (el) => imgAttrs(el) && { ...imgAttrs(el), caption: '', credit: '' } },
    ],
    renderHTML: ({ node }) => {
      const a = node.attrs as FigureAttrs;
      const img = {
        src: a.src,
        alt: a.alt,
        ...(a.title ? { title: a.title } : {}),
        ...(a.width && a.height ? { width: String(a.width), height: String(a.height) } : {}),
      };
      const caption = a.caption.trim();
      const credit = a.credit.trim();
      if (!caption && !credit) return ['figure', ['img', img]];
      const parts = [
        ...(caption ? [caption] : []),
        ...(caption && credit ? [' '] : []),
        ...(credit ? [['small', credit]] : []),
      ];
      return ['figure', ['img', img], ['figcaption', ...parts]];
    },
    addNodeView: () => figureView(strings, lang),
  });
}
