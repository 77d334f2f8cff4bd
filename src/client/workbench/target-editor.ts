import { hasPlaceholder, partsToText, type CodeLabels } from '../../shared/inline-codes.js';
import { EditHistory, type EditState } from './edit-history.js';
import { renderParts } from './tokens.js';

type Part = { text: string } | { code: string };

/**
 * The target as translators read it: an editable element per segment in which inline codes are
 * small labelled tokens (bold, italic, a link with its URL as tooltip, a line break) that can be
 * moved or deleted whole but not edited. It is a view over the segment's textarea, which stays
 * in the form, hidden, and always holds the placeholder form (`{1}…{/1}`) and the caret:
 * whatever reads the textarea or inserts into it as typing would (autosave, drafts, QA,
 * suggestions, codes, terms, the conflict view) works unchanged, and without JavaScript the
 * textarea is the editor.
 *
 * Text is edited natively; after each edit the element is read back (text runs and tokens,
 * joined by the shared `partsToText`) and rendered again from the placeholder form when it
 * holds anything else: a typed `{1}` becomes a token, markup the browser slipped in goes.
 * Paste and drop insert plain text only; copy and cut put the placeholder form on the
 * clipboard, so a token copied from one segment pastes as a token into another.
 */
export class TargetEditor {
  readonly element: HTMLElement;
  /** The editor is writing into the textarea: its input event is our own echo. */
  private echoing = false;
  /** The caret in the placeholder form, kept while the editor has no focus (as a textarea does). */
  private selection: EditState['caret'] = { start: 0, end: 0 };
  private readonly history: EditHistory;

  constructor(
    private readonly textarea: HTMLTextAreaElement,
    private readonly tags: Record<string, string>,
    private readonly labels: CodeLabels,
  ) {
    const el = document.createElement('div');
    this.element = el;
    el.className = 'target-editor';
    el.lang = textarea.lang;
    el.setAttribute('role', 'textbox');
    el.setAttribute('aria-multiline', 'true');
    // The label moves from the hidden textarea to the editor (looked for next to the textarea
    // first: a task has up to 2,000 segments).
    const byFor = textarea.id ? `label[for="${CSS.escape(textarea.id)}"]` : '';
    const label = byFor
      ? (textarea.parentElement?.querySelector(byFor) ?? document.querySelector(byFor))
      : null;
    if (label) {
      label.id ||= `${textarea.id}-label`;
      label.removeAttribute('for');
      el.setAttribute('aria-labelledby', label.id);
    }
    const described = textarea.getAttribute('aria-describedby');
    if (described) el.setAttribute('aria-describedby', described);
    if (textarea.readOnly) {
      el.setAttribute('aria-readonly', 'true');
      el.tabIndex = 0;
    } else {
      el.contentEditable = 'true';
      el.spellcheck = true;
    }
    this.render(textarea.value);
    this.history = new EditHistory({ value: textarea.value, caret: { ...this.selection } });
    textarea.hidden = true;
    textarea.after(el);
    if (textarea.readOnly) return;

    el.addEventListener('beforeinput', (event) => this.beforeInput(event));
    el.addEventListener('input', (event) => {
      if (!(event as InputEvent).isComposing) this.readBack((event as InputEvent).inputType);
    });
    el.addEventListener('compositionend', () => this.readBack('insertCompositionText'));
    el.addEventListener('keydown', (event) => this.keydown(event));
    el.addEventListener('paste', (event) => {
      event.preventDefault();
      this.replaceSelection(plainText(event.clipboardData));
    });
    el.addEventListener('drop', (event) => {
      event.preventDefault();
      this.placeAtPoint(event.clientX, event.clientY);
      this.replaceSelection(plainText(event.dataTransfer));
    });
    el.addEventListener('dragstart', (event) => {
      const selected = this.selectedText();
      if (selected) event.dataTransfer?.setData('text/plain', selected);
    });
    el.addEventListener('copy', (event) => this.toClipboard(event));
    el.addEventListener('cut', (event) => {
      if (this.toClipboard(event)) this.replaceSelection('');
    });
    // The caret follows into the textarea, where inserting code (and another bundle) finds it.
    const follow = () => {
      const now = this.readSelection();
      if (!now) return;
      this.selection = now;
      textarea.setSelectionRange(now.start, now.end);
    };
    el.addEventListener('focus', () => document.addEventListener('selectionchange', follow));
    el.addEventListener('blur', () => document.removeEventListener('selectionchange', follow));
    // Text inserted into the textarea as if typed (a suggestion, a code, a term, the source).
    textarea.addEventListener('input', () => {
      if (this.echoing) return;
      const caret = { start: textarea.selectionStart, end: textarea.selectionEnd };
      this.render(textarea.value);
      el.focus();
      this.place(caret);
      this.history.record({ value: textarea.value, caret: this.selection }, 'insert');
    });
  }

  private beforeInput(event: InputEvent): void {
    const type = event.inputType;
    if (type.startsWith('format')) {
      event.preventDefault(); // no bold or italic of our own: the codes carry the markup
    } else if (type === 'insertParagraph' || type === 'insertLineBreak') {
      event.preventDefault(); // a new line is a line in the text, as in the textarea
      this.replaceSelection('\n');
    } else if (type === 'historyUndo' || type === 'historyRedo') {
      event.preventDefault();
      this.step(type === 'historyUndo' ? -1 : 1);
    }
  }

  private keydown(event: KeyboardEvent): void {
    const mod = event.ctrlKey || event.metaKey;
    if (!mod || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === 'z' || key === 'y') {
      event.preventDefault();
      this.step(key === 'y' || event.shiftKey ? 1 : -1);
    } else if (['b', 'i', 'u'].includes(key)) {
      event.preventDefault(); // the browser's own formatting shortcuts
    }
  }

  /** After a native edit: read the element back, render it again where needed, tell the textarea. */
  private readBack(inputType: string): void {
    const el = this.element;
    el.normalize();
    const caret = this.readSelection() ?? this.selection;
    const value = partsToText(readParts(el));
    if (!isCanonical(el)) {
      this.render(value);
      this.place(caret);
    }
    this.commit(value, caret, inputType === 'insertText' ? 'typing' : 'edit');
  }

  /** Replaces the selection by plain text (placeholders in it become tokens). */
  private replaceSelection(text: string): void {
    const { start, end } = this.readSelection() ?? this.selection;
    const before = this.textarea.value;
    const value = before.slice(0, start) + text + before.slice(end);
    const caret = { start: start + text.length, end: start + text.length };
    this.render(value);
    this.place(caret);
    this.commit(value, caret, 'edit');
  }

  private step(direction: -1 | 1): void {
    const state = this.history.step(direction);
    if (!state) return;
    this.render(state.value);
    this.place(state.caret);
    this.commit(state.value, state.caret, 'none');
  }

  /** Writes value and caret into the textarea and tells its listeners, as typing there would. */
  private commit(value: string, caret: EditState['caret'], kind: 'typing' | 'edit' | 'none'): void {
    this.selection = caret;
    const changed = value !== this.textarea.value;
    if (changed) this.textarea.value = value;
    this.textarea.setSelectionRange(caret.start, caret.end);
    if (!changed) return;
    if (kind !== 'none') this.history.record({ value, caret }, kind);
    this.echoing = true;
    try {
      this.textarea.dispatchEvent(new Event('input', { bubbles: true }));
    } finally {
      this.echoing = false;
    }
  }

  /** A placeholder-form value drawn as text and tokens. */
  private render(value: string): void {
    this.element.replaceChildren(...renderParts(value, this.tags, this.labels));
  }

  /** The selected part of the segment in the placeholder form (empty when nothing is selected). */
  private selectedText(): string {
    const sel = this.readSelection();
    return sel ? this.textarea.value.slice(sel.start, sel.end) : '';
  }

  /** Copies the selection in the placeholder form; true when there was one. */
  private toClipboard(event: ClipboardEvent): boolean {
    const selected = this.selectedText();
    if (!selected || !event.clipboardData) return false;
    event.preventDefault();
    event.clipboardData.setData('text/plain', selected);
    return true;
  }

  /** The selection as offsets in the placeholder form, when it lies inside the editor. */
  private readSelection(): EditState['caret'] | undefined {
    const sel = document.getSelection();
    const range = sel && sel.rangeCount ? sel.getRangeAt(0) : undefined;
    if (!range || !this.element.contains(range.startContainer) || !this.element.contains(range.endContainer))
      return undefined;
    return {
      start: this.offsetOf(range.startContainer, range.startOffset),
      end: this.offsetOf(range.endContainer, range.endOffset),
    };
  }

  /** The length of the placeholder form up to a point of the element (a token counts whole). */
  private offsetOf(node: Node, offset: number): number {
    const range = document.createRange();
    range.selectNodeContents(this.element);
    range.setEnd(node, offset);
    return partsToText(readParts(range.cloneContents())).length;
  }

  /** Puts the selection at offsets of the placeholder form; an offset inside a code goes after it. */
  private place(caret: EditState['caret']): void {
    const sel = document.getSelection();
    if (!sel || !this.element.isConnected) return;
    const range = document.createRange();
    range.setStart(...this.pointAt(caret.start));
    range.setEnd(...this.pointAt(Math.max(caret.start, caret.end)));
    sel.removeAllRanges();
    sel.addRange(range);
    this.selection = caret;
  }

  private pointAt(offset: number): [Node, number] {
    const children = [...this.element.childNodes];
    let left = offset;
    for (const [k, node] of children.entries()) {
      if (node instanceof Text) {
        if (left <= node.data.length) return [node, left];
        left -= node.data.length;
      } else {
        if (left === 0) return [this.element, k];
        left -= (node as HTMLElement).dataset.code?.length ?? 0;
        if (left <= 0) return [this.element, k + 1];
      }
    }
    return [this.element, children.length];
  }

  /** Moves the caret to where something was dropped. */
  private placeAtPoint(x: number, y: number): void {
    const range = document.caretRangeFromPoint?.(x, y);
    if (!range || !this.element.contains(range.startContainer)) return;
    const at = this.offsetOf(range.startContainer, range.startOffset);
    this.place({ start: at, end: at });
  }
}

/** Text runs and codes of an element or fragment; other markup is read for its text only. */
function readParts(node: Node, out: Part[] = []): Part[] {
  for (const child of node.childNodes) {
    if (child instanceof Text) out.push({ text: child.data });
    else if (child instanceof HTMLElement && child.dataset.code) out.push({ code: child.dataset.code });
    else if (child.nodeName !== 'BR') readParts(child, out); // a lone <br> is the browser's filler
  }
  return out;
}

/** True when the element holds only text without placeholders and tokens, as `render` draws it. */
function isCanonical(el: HTMLElement): boolean {
  return [...el.childNodes].every((node) =>
    node instanceof Text
      ? !hasPlaceholder(node.data)
      : node instanceof HTMLElement && Boolean(node.dataset.code) && node.contentEditable === 'false',
  );
}

function plainText(data: DataTransfer | null): string {
  return (data?.getData('text/plain') ?? '').replace(/\r\n?/g, '\n');
}
