/**
 * The workbench's language resources (`templates/desk/task.hbs`), a bundle of its own next to
 * the workbench's: source terms highlighted with their approved translation (hover or focus
 * shows it; a click or Alt+T inserts it), the termbase's QA as the translator types (a
 * forbidden or missing term), and concordance search in the pair's memory (Ctrl+K: source and
 * target, with the stories the entries came from). It only reads the page and calls the API;
 * the segment editor itself is the workbench's.
 */
import { segmentParts, stripPlaceholders } from '../shared/inline-codes.js';
import { getJson } from './language-resources/get-json.js';

interface Term {
  source: string;
  target: string;
  status: 'preferred' | 'allowed' | 'forbidden' | 'do_not_translate';
  note?: string;
}
interface Hit {
  term: Term;
  start: number;
  end: number;
}
interface Issue {
  check: string;
  message: string;
  severity: string;
}
interface ConcordanceHit {
  source: string;
  target: string;
  story?: { id: string; title?: string };
}

function start(): void {
  const form = document.querySelector<HTMLFormElement>('#segment-form');
  const pair = form ? `${form.dataset.from}:${form.dataset.to}` : '';
  if (!form || !/^[a-z]{2,3}:[a-z]{2,3}$/.test(pair)) return;
  // Texts in the desk language, as data attributes of `#resources-strings`.
  const strings = { ...document.querySelector<HTMLElement>('#resources-strings')?.dataset } as Record<
    string,
    string
  >;
  const rows = [...form.querySelectorAll<HTMLTableRowElement>('tr[data-segment]')];
  const termsOf = new Map<HTMLTableRowElement, Hit[]>();
  let active: HTMLTableRowElement | undefined;

  void highlightAll();
  for (const row of rows) {
    // The target is typed in the workbench's editor; its textarea (hidden) holds text and caret.
    const textarea = row.querySelector<HTMLTextAreaElement>('textarea[name^="seg-"]');
    row.addEventListener('focusin', () => (active = row));
    let timer = 0;
    textarea?.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void checkTerms(row), 400);
    });
    if (textarea?.value.trim()) void checkTerms(row);
  }

  async function highlightAll() {
    // A few requests at a time: a long story must not flood the server.
    const queue = [...rows];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) await highlight(row);
      }),
    );
    form!.dataset.termsReady = '1';
  }

  async function highlight(row: HTMLTableRowElement) {
    const el = row.querySelector<HTMLElement>('[data-source]');
    const source = el?.dataset.source;
    if (!el || !source) return;
    const res = await getJson<{ hits: Hit[] }>(`/terms/${pair}/match`, { source });
    const hits = res?.hits ?? [];
    termsOf.set(row, hits);
    if (hits.length) markTerms(el, source, hits);
  }

  /** Wraps each term's words in a `<mark>`, across the text runs between inline-code tokens. */
  function markTerms(el: HTMLElement, source: string, hits: Hit[]) {
    const runs: { node: Text; start: number }[] = [];
    let offset = 0;
    const textNodes = [...el.childNodes].filter((n): n is Text => n.nodeType === Node.TEXT_NODE);
    let k = 0;
    for (const part of segmentParts(source)) {
      if ('text' in part) {
        const node = textNodes[k++];
        if (node) runs.push({ node, start: offset });
        offset += part.text.length;
      } else offset += part.code.length;
    }
    // One mark per span (a word may have a preferred and a forbidden rendering); overlaps skipped.
    const spans = new Map<string, { start: number; end: number; terms: Term[] }>();
    for (const h of hits) {
      const key = `${h.start}:${h.end}`;
      const span = spans.get(key) ?? { start: h.start, end: h.end, terms: [] };
      span.terms.push(h.term);
      spans.set(key, span);
    }
    const ordered = [...spans.values()].sort((a, b) => b.start - a.start || b.end - a.end);
    // Last runs first, later offsets first, so earlier offsets stay valid.
    for (const run of runs.reverse()) {
      const end = run.start + (run.node.textContent ?? '').length;
      let limit = end;
      for (const span of ordered.filter((x) => x.start < end && x.end > run.start)) {
        const to = Math.min(span.end, end);
        if (to > limit) continue;
        const from = Math.max(span.start, run.start);
        limit = from;
        const range = document.createRange();
        range.setStart(run.node, from - run.start);
        range.setEnd(run.node, to - run.start);
        const main = span.terms.find((t) => t.status !== 'forbidden') ?? span.terms[0];
        const tip = span.terms
          .map(
            (t) =>
              `${t.status === 'do_not_translate' ? t.source : t.target} — ${strings[statusKey(t.status)] ?? t.status}${t.note ? ` (${t.note})` : ''}`,
          )
          .join('; ');
        const mark = document.createElement('mark');
        mark.className = `term term-${main.status}`;
        mark.tabIndex = 0;
        mark.dataset.target = main.target;
        mark.title = tip;
        mark.dataset.tip = tip;
        mark.setAttribute('aria-label', `${range.toString()}: ${tip}`);
        range.surroundContents(mark);
        mark.addEventListener('click', () => insertTerm(el.closest('tr')!, main));
      }
    }
  }

  function insertTerm(row: HTMLTableRowElement, term: Term) {
    const textarea = row.querySelector<HTMLTextAreaElement>('textarea[name^="seg-"]');
    if (!textarea || textarea.readOnly || term.status === 'forbidden') return;
    const text = term.status === 'do_not_translate' ? term.source : term.target;
    const { selectionStart: a, selectionEnd: b, value } = textarea;
    textarea.value = value.slice(0, a) + text + value.slice(b);
    textarea.selectionStart = textarea.selectionEnd = a + text.length;
    textarea.focus();
    // The workbench's own listeners (editor, autosave, QA, state) see it as typing.
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }

  /** The termbase's errors for this segment, in the row's own live region. */
  async function checkTerms(row: HTMLTableRowElement) {
    const textarea = row.querySelector<HTMLTextAreaElement>('textarea[name^="seg-"]');
    const source = row.querySelector<HTMLElement>('[data-source]')?.dataset.source;
    if (!textarea || !source) return;
    let out = row.querySelector<HTMLElement>('.term-qa');
    if (!out) {
      out = document.createElement('div');
      out.className = 'term-qa';
      out.setAttribute('aria-live', 'polite');
      textarea.parentElement!.append(out);
    }
    if (!textarea.value.trim()) return out.replaceChildren();
    const res = await getJson<{ issues: Issue[] }>(`/terms/${pair}/check`, {
      source,
      target: textarea.value,
    });
    if (!res) return;
    out.replaceChildren(
      ...res.issues.map((issue) => {
        const p = document.createElement('p');
        p.className = `qa-${issue.severity}`;
        p.dataset.check = issue.check;
        p.textContent = issue.message;
        return p;
      }),
    );
  }

  // --- concordance ---------------------------------------------------------------------
  const dialog = document.querySelector<HTMLDialogElement>('#concordance');
  const input = dialog?.querySelector<HTMLInputElement>('input[type="search"]');
  const list = dialog?.querySelector<HTMLOListElement>('ol');
  const status = dialog?.querySelector<HTMLElement>('[role="status"]');
  dialog?.querySelector('form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    void search();
  });

  async function search() {
    const q = input?.value.trim();
    if (!q || !list || !status) return;
    status.textContent = strings.searching ?? '…';
    const res = await getJson<{ results: ConcordanceHit[] }>(`/tm/${pair}/concordance`, { q, limit: '30' });
    const results = res?.results ?? [];
    status.textContent = (results.length ? strings.found : (strings.none ?? '')).replace(
      '{{count}}',
      String(results.length),
    );
    list.replaceChildren(
      ...results.map((r) => {
        const li = document.createElement('li');
        const s = document.createElement('span');
        s.className = 'concordance-source';
        s.lang = form!.dataset.from ?? '';
        s.textContent = r.source;
        const t = document.createElement('span');
        t.className = 'concordance-target';
        t.lang = form!.dataset.to ?? '';
        t.textContent = r.target;
        li.append(s, t);
        if (r.story) {
          const a = document.createElement('a');
          a.href = `/desk/stories/${encodeURIComponent(r.story.id)}`;
          a.textContent = r.story.title ?? r.story.id;
          a.className = 'concordance-story';
          li.append(a);
        }
        return li;
      }),
    );
  }

  document.addEventListener('keydown', (event) => {
    if (
      event.ctrlKey &&
      !event.altKey &&
      !event.shiftKey &&
      event.key.toLowerCase() === 'k' &&
      dialog &&
      input
    ) {
      event.preventDefault();
      // The selected words (in the source or the translation) are what one looks up.
      const selected = window.getSelection()?.toString().trim() ?? '';
      const area = typedIn(document.activeElement);
      const inArea = area
        ? stripPlaceholders(area.value.slice(area.selectionStart, area.selectionEnd)).trim()
        : '';
      if (!dialog.open) dialog.showModal();
      const q = inArea || selected;
      if (q) input.value = q;
      input.focus();
      input.select();
      if (q) void search();
      return;
    }
    if (event.altKey && !event.ctrlKey && event.code === 'KeyT') {
      // Alt+T: the next term of the segment whose translation is not in the target yet.
      const row = active ?? rows.find((r) => r.contains(document.activeElement));
      const textarea = row?.querySelector<HTMLTextAreaElement>('textarea[name^="seg-"]');
      if (!row || !textarea) return;
      const next = (termsOf.get(row) ?? [])
        .map((h) => h.term)
        .find(
          (t) =>
            t.status !== 'forbidden' &&
            !textarea.value.includes(t.status === 'do_not_translate' ? t.source : t.target),
        );
      if (next) {
        event.preventDefault();
        insertTerm(row, next);
      }
    }
  });
}

/** The textarea behind the focused field: itself, or the one a target editor keeps text and caret in. */
function typedIn(el: Element | null): HTMLTextAreaElement | null {
  if (el instanceof HTMLTextAreaElement) return el;
  if (!el?.classList.contains('target-editor')) return null;
  return el.closest('tr')?.querySelector<HTMLTextAreaElement>('textarea[name^="seg-"]') ?? null;
}

/** `do_not_translate` → `statusDoNotTranslate` (the dataset name of `data-status-do-not-translate`). */
const statusKey = (status: string) =>
  `status${status.replace(/(^|_)([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase())}`;

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
