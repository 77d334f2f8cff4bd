import type { Editor } from '@tiptap/core';

/** A toolbar button and, for a toggle, how to read whether it is on. */
export interface ToolbarButton {
  el: HTMLButtonElement;
  isActive?: () => boolean;
}

/** A toolbar button that keeps the caret in the editor. */
export const toolbarButton = (
  label: string,
  title: string,
  run: () => void,
  isActive?: () => boolean,
): ToolbarButton => {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'toolbar-button';
  b.textContent = label;
  b.title = title;
  // The accessible name starts with the visible label ("H2 Heading"), as WCAG 2.5.3 asks.
  if (label !== title) {
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = ` ${title}`;
    b.append(hidden);
  }
  // Keep the caret in the editor: a toolbar click must not take focus (and keystrokes) away.
  b.addEventListener('mousedown', (e) => e.preventDefault());
  b.addEventListener('click', run);
  return { el: b, isActive };
};

/** Asks for a link's address (prefilled with the current one); an empty answer removes the link. */
export function promptLink(editor: Editor, question: string): void {
  const previous = editor.getAttributes('link').href as string | undefined;
  const href = window.prompt(question, previous ?? 'https://');
  if (href === null) return;
  const chain = editor.chain().focus().extendMarkRange('link');
  if (!href.trim()) chain.unsetLink().run();
  else chain.setLink({ href: href.trim() }).run();
}

/** Bold, italic and link: the buttons both editors start with. */
export const inlineButtons = (
  editor: Editor,
  t: (i: number, fallback: string) => string,
): ToolbarButton[] => [
  toolbarButton(
    'B',
    t(1, 'Bold'),
    () => editor.chain().focus().toggleBold().run(),
    () => editor.isActive('bold'),
  ),
  toolbarButton(
    'I',
    t(2, 'Italic'),
    () => editor.chain().focus().toggleItalic().run(),
    () => editor.isActive('italic'),
  ),
  toolbarButton(
    t(8, 'Link'),
    t(8, 'Link'),
    () => promptLink(editor, t(9, 'Link address (empty removes the link)')),
    () => editor.isActive('link'),
  ),
];

/** An editor's place in the form: a host holding its toolbar and the area Tiptap edits in. */
export interface EditorFrame {
  host: HTMLDivElement;
  toolbar: HTMLDivElement;
  area: HTMLDivElement;
}

/**
 * Puts an editor's frame (a labelled toolbar above the editing area) just before its textarea
 * and hides the textarea, which stays in the form to hold the editor's HTML for submitting.
 */
export function editorFrame(
  textarea: HTMLTextAreaElement,
  opts: { hostClass: string; areaClass?: string; toolbarLabel: string },
): EditorFrame {
  const host = document.createElement('div');
  host.className = opts.hostClass;
  const toolbar = document.createElement('div');
  toolbar.className = 'rich-text-toolbar';
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', opts.toolbarLabel);
  const area = document.createElement('div');
  if (opts.areaClass) area.className = opts.areaClass;
  host.append(toolbar, area);
  textarea.insertAdjacentElement('beforebegin', host);
  textarea.hidden = true;
  return { host, toolbar, area };
}

/** Puts the buttons in the toolbar, their `aria-pressed` kept in step with the selection. */
export function fillToolbar(toolbar: HTMLElement, editor: Editor, buttons: ToolbarButton[]): void {
  for (const b of buttons) toolbar.append(b.el);
  trackPressed(editor, buttons);
}

/** Keeps each toggle's `aria-pressed` in step with the selection. */
function trackPressed(editor: Editor, buttons: ToolbarButton[]): void {
  const refresh = () => {
    for (const b of buttons) if (b.isActive) b.el.setAttribute('aria-pressed', String(b.isActive()));
  };
  editor.on('selectionUpdate', refresh);
  editor.on('transaction', refresh);
  refresh();
}

/** The strings of the form's `data-editor-strings` (`|`-separated), by index with a fallback. */
export const editorStrings = (form: HTMLFormElement) => {
  const strings = (form.dataset.editorStrings ?? '').split('|');
  return (i: number, fallback: string) => strings[i] || fallback;
};

/** Links as both editors make them: http(s) and mailto, opening in the same tab. */
export const LINK_OPTIONS = {
  openOnClick: false,
  autolink: true,
  protocols: ['http', 'https', 'mailto'],
  // News links open in the same tab; the reader decides.
  HTMLAttributes: { target: null, rel: null },
};
