import { tokenParts, tokenWording, type CodeLabels, type CodeToken } from '../../shared/inline-codes.js';
import { insertAtCaret, type SegmentRow } from './segments.js';

/** Labels of inline-code roles and edges in the desk language. */
export type TokenStrings = CodeLabels;

/**
 * An inline code as a small labelled token that cannot be edited, only moved or deleted whole
 * (`contenteditable=false` inside the target editor). Its accessible name says what it is and
 * which one ("bold start 2"); the tooltip adds a link's URL. Same wording as the server's tokens.
 */
export function tokenElement(token: CodeToken, labels: CodeLabels): HTMLElement {
  const { label, name, title } = tokenWording(token, labels);
  const span = document.createElement('span');
  span.className = `ic ic-${token.kind} ic-${token.role}`;
  span.contentEditable = 'false';
  span.dataset.code = token.code;
  span.setAttribute('role', 'img');
  span.setAttribute('aria-label', name);
  span.title = title;
  const n = document.createElement('sup');
  n.textContent = String(token.n);
  span.append(label, n);
  return span;
}

/** A segment in the placeholder form as text nodes and tokens. */
export function renderParts(text: string, tags: Record<string, string>, labels: CodeLabels): Node[] {
  return tokenParts(text, tags).map((part) =>
    'text' in part ? document.createTextNode(part.text) : tokenElement(part, labels),
  );
}

/** The source's tokens (rendered by the server as buttons) insert their code at the caret. */
export function enableSourceTokens(r: SegmentRow): void {
  for (const button of r.row.querySelectorAll<HTMLButtonElement>('td.source button.ic[data-code]')) {
    button.addEventListener('click', () => insertAtCaret(r.textarea, button.dataset.code ?? ''));
  }
}
