/**
 * The story editor: progressive enhancement of the story form (`templates/desk/story.hbs`,
 * `story-new.hbs`). Without JavaScript the body is a plain HTML textarea; with it, the
 * textarea is replaced by a Tiptap (ProseMirror) editor whose schema is the sanitiser's subset
 * (paragraphs, headings, lists, links, bold/italic, quotes, tables, figures with images), so a
 * paste from Word or a web page keeps its structure and loses everything else. The textarea
 * stays in the form and always holds the editor's HTML, so submitting is unchanged. The lead
 * gets a one-paragraph editor of its own (bold, italic, links: `rich-text/lead-editor.ts`); the
 * title stays a plain input whose pastes become one clean line (`rich-text/single-line.ts`).
 *
 * Drafts: every change is kept in localStorage at once and sent to the server (with the
 * revision the form was based on) a moment later; on load, a newer kept draft is offered back.
 */
import { Editor } from '@tiptap/core';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import { figureNode } from './rich-text/figure.js';
import { imageStrings } from './rich-text/image-strings.js';
import { enhanceLead, type LeadEditor } from './rich-text/lead-editor.js';
import { cleanPastedHtml } from './rich-text/paste-cleaning.js';
import { singleLinePaste } from './rich-text/single-line.js';
import {
  LINK_OPTIONS,
  editorFrame,
  editorStrings,
  fillToolbar,
  inlineButtons,
  toolbarButton,
} from './rich-text/toolbar.js';
import { pictureChooser, pictureUploads } from './rich-text/uploads.js';

interface Draft {
  title: string;
  lead: string;
  body: string;
  baseRevision: string;
  at: number;
}

function enhance(form: HTMLFormElement, textarea: HTMLTextAreaElement, lead?: LeadEditor): void {
  const t = editorStrings(form);
  const { host, toolbar, area } = editorFrame(textarea, {
    hostClass: 'rich-text',
    areaClass: 'rich-text-area',
    toolbarLabel: t(0, 'Formatting'),
  });

  const pictureStrings = imageStrings(form.dataset.imageStrings);
  const editor = new Editor({
    element: area,
    // The strict CSP allows no inline <style>: ProseMirror's few rules are in desk.css.
    injectCSS: false,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        code: false,
        codeBlock: false,
        underline: false,
        link: LINK_OPTIONS,
      }),
      TableKit.configure({ table: { resizable: false } }),
      figureNode(pictureStrings, textarea.lang),
      pictureUploads(pictureStrings),
    ],
    content: textarea.value,
    editorProps: {
      transformPastedHTML: cleanPastedHtml,
      attributes: {
        class: 'rich-text-content',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': textarea.labels?.[0]?.textContent ?? 'Text',
        lang: textarea.lang,
      },
    },
  });
  const chain = () => editor.chain().focus();
  const picker = pictureChooser(editor, pictureStrings);
  const [bold, italic, link] = inlineButtons(editor, t);
  const buttons = [
    bold,
    italic,
    toolbarButton(
      'H2',
      t(3, 'Heading'),
      () => chain().toggleHeading({ level: 2 }).run(),
      () => editor.isActive('heading', { level: 2 }),
    ),
    toolbarButton(
      'H3',
      t(4, 'Subheading'),
      () => chain().toggleHeading({ level: 3 }).run(),
      () => editor.isActive('heading', { level: 3 }),
    ),
    toolbarButton(
      '•',
      t(5, 'Bulleted list'),
      () => chain().toggleBulletList().run(),
      () => editor.isActive('bulletList'),
    ),
    toolbarButton(
      '1.',
      t(6, 'Numbered list'),
      () => chain().toggleOrderedList().run(),
      () => editor.isActive('orderedList'),
    ),
    toolbarButton(
      '❝',
      t(7, 'Quote'),
      () => chain().toggleBlockquote().run(),
      () => editor.isActive('blockquote'),
    ),
    link,
    toolbarButton(t(10, 'Table'), t(10, 'Table'), () =>
      chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    ),
    toolbarButton(pictureStrings.insert, pictureStrings.insert, () => picker.click()),
  ];
  fillToolbar(toolbar, editor, buttons);
  toolbar.append(picker);

  const key = `newsroom:draft:${form.dataset.autosaveKey}`;
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | null;
  const snapshot = (): Draft => ({
    title: field('title')?.value ?? '',
    lead: field('lead')?.value ?? '',
    body: textarea.value,
    baseRevision: field('baseRevision')?.value ?? '0',
    at: Date.now(),
  });
  const status = document.createElement('p');
  status.className = 'muted autosave-status';
  status.setAttribute('aria-live', 'polite');
  host.after(status);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const saveToServer = async () => {
    const url = form.dataset.autosaveUrl;
    if (!url) return;
    const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(snapshot()),
        credentials: 'same-origin',
      });
      status.textContent = res.ok
        ? t(15, 'Draft kept on the server.')
        : t(16, 'Draft kept in this browser only.');
    } catch {
      status.textContent = t(16, 'Draft kept in this browser only.');
    }
  };
  const changed = () => {
    if (form.dataset.autosaveKey) localStorage.setItem(key, JSON.stringify(snapshot()));
    clearTimeout(timer);
    timer = setTimeout(saveToServer, 2_000);
  };
  editor.on('update', () => {
    textarea.value = editor.getHTML();
    changed();
  });
  field('title')?.addEventListener('input', changed);
  field('lead')?.addEventListener('input', changed);
  form.addEventListener('submit', () => {
    textarea.value = editor.getHTML();
    clearTimeout(timer);
    localStorage.removeItem(key);
  });

  // A kept draft newer than what the page shows, on the same base revision: offer it back.
  const kept = form.dataset.autosaveKey ? localStorage.getItem(key) : null;
  if (kept) {
    try {
      const draft = JSON.parse(kept) as Draft;
      const current = snapshot();
      const differs =
        draft.body !== current.body || draft.title !== current.title || draft.lead !== current.lead;
      if (differs && draft.baseRevision === current.baseRevision) {
        const offer = document.createElement('p');
        offer.className = 'flash flash-ok';
        const restore = document.createElement('button');
        restore.type = 'button';
        restore.className = 'secondary';
        restore.textContent = t(17, 'Restore the unsaved draft from this browser');
        restore.addEventListener('click', () => {
          if (field('title')) field('title')!.value = draft.title;
          if (lead) lead.setContent(draft.lead);
          else if (field('lead')) field('lead')!.value = draft.lead;
          editor.commands.setContent(draft.body);
          textarea.value = editor.getHTML();
          offer.remove();
        });
        offer.append(restore);
        host.before(offer);
      }
    } catch {
      localStorage.removeItem(key);
    }
  }
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-editor-form]')) {
  const title = form.querySelector<HTMLInputElement>('input[data-single-line]');
  if (title) singleLinePaste(title);
  const leadField = form.querySelector<HTMLTextAreaElement>('textarea[data-rich-lead]');
  const lead = leadField ? enhanceLead(leadField, editorStrings(form)) : undefined;
  const textarea = form.querySelector<HTMLTextAreaElement>('textarea[data-rich-text]');
  if (textarea) enhance(form, textarea, lead);
}
