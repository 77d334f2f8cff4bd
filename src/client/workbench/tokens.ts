import { tokenParts } from '../../shared/inline-codes.js';
import { insertAtCaret, type SegmentRow } from './segments.js';

/** Labels of inline-code roles and edges in the desk language. */
export interface TokenStrings {
  code: Record<string, string>;
  codeKind: Record<string, string>;
}

/**
 * Inline codes as labelled tokens. The source's tokens (rendered by the server) insert their
 * code at the caret when clicked; under the target, a preview shows the translation with its
 * codes as the same tokens, so a missing or misplaced one is seen at once.
 */
export function enableTokens(r: SegmentRow, strings: TokenStrings, editable: boolean): () => void {
  const { tags } = r;
  if (editable) {
    for (const button of r.row.querySelectorAll<HTMLButtonElement>('td.source button.ic[data-code]')) {
      button.addEventListener('click', () => insertAtCaret(r.textarea, button.dataset.code ?? ''));
    }
  }
  if (!/\{\/?\d+\/?\}/.test(r.source)) return () => undefined;
  const preview = document.createElement('p');
  preview.className = 'target-preview';
  preview.setAttribute('aria-hidden', 'true'); // the textarea holds the same text for assistive technology
  r.textarea.after(preview);
  const render = () => preview.replaceChildren(...renderParts(r.textarea.value, tags, strings));
  render();
  return render;
}

function renderParts(text: string, tags: Record<string, string>, strings: TokenStrings): Node[] {
  return tokenParts(text, tags).map((part) => {
    if ('text' in part) return document.createTextNode(part.text);
    const span = document.createElement('span');
    span.className = `ic ic-${part.kind} ic-${part.role}`;
    const label = strings.code[part.role] ?? part.role;
    span.title = `${label} ${strings.codeKind[part.kind] ?? ''}${part.href ? `: ${part.href}` : ''} — ${part.code}`;
    const n = document.createElement('sup');
    n.textContent = String(part.n);
    span.append(label, n);
    return span;
  });
}
