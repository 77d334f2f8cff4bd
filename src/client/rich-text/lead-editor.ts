/**
 * The lead's editor: one paragraph with bold, italic and links, nothing else (the schema is
 * the server's inline subset, `src/lib/lead-html.ts`). It replaces the lead textarea, which
 * stays in the form holding the editor's inline HTML (no `<p>` around it), so submitting and
 * autosave read it as before. Enter does nothing; a paste of several paragraphs, or of text
 * with line breaks, becomes one line.
 */
import { Editor, Node, getHTMLFromFragment } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { BLOCK_EDGES } from '../../shared/block-edges.js';
import { cleanPastedHtml } from './paste-cleaning.js';
import { singleLine } from './single-line.js';
import { LINK_OPTIONS, editorFrame, fillToolbar, inlineButtons } from './toolbar.js';

/** A document of exactly one paragraph. */
const OneParagraph = Node.create({ name: 'doc', topNode: true, content: 'paragraph' });

export interface LeadEditor {
  /** Replaces the text (a restored draft): the editor and the textarea. */
  setContent(html: string): void;
}

export function enhanceLead(
  textarea: HTMLTextAreaElement,
  t: (i: number, fallback: string) => string,
): LeadEditor {
  const { toolbar, area } = editorFrame(textarea, {
    hostClass: 'rich-text rich-lead',
    toolbarLabel: t(18, 'Lead formatting'),
  });

  const editor = new Editor({
    element: area,
    injectCSS: false,
    extensions: [
      OneParagraph,
      StarterKit.configure({
        document: false,
        blockquote: false,
        bulletList: false,
        orderedList: false,
        listItem: false,
        listKeymap: false,
        code: false,
        codeBlock: false,
        heading: false,
        hardBreak: false,
        horizontalRule: false,
        strike: false,
        underline: false,
        trailingNode: false,
        dropcursor: false,
        gapcursor: false,
        link: LINK_OPTIONS,
      }),
    ],
    content: `<p>${textarea.value}</p>`,
    editorProps: {
      transformPastedHTML: (html) => `<p>${cleanPastedHtml(html).replace(BLOCK_EDGES, ' ')}</p>`,
      transformPastedText: singleLine,
      // One paragraph: Enter (and Shift+Enter) add nothing.
      handleKeyDown: (_view, event) => event.key === 'Enter',
      attributes: {
        class: 'rich-lead-content',
        role: 'textbox',
        'aria-multiline': 'false',
        'aria-label': textarea.labels?.[0]?.textContent ?? 'Lead',
        lang: textarea.lang,
      },
    },
  });
  const inlineHtml = () => getHTMLFromFragment(editor.state.doc.firstChild!.content, editor.schema);
  fillToolbar(toolbar, editor, inlineButtons(editor, t));
  editor.on('update', () => {
    textarea.value = inlineHtml();
    // Autosave listens to the field's input events, as without the editor.
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });
  textarea.form?.addEventListener('submit', () => {
    textarea.value = inlineHtml();
  });
  return {
    setContent(html) {
      editor.commands.setContent(`<p>${html}</p>`);
      textarea.value = inlineHtml();
    },
  };
}
