import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { focusAltOfNextFigure, type FigureAttrs } from './figure.js';
import { fill, type ImageStrings } from './image-strings.js';

/** What `POST /desk/media` answers (`presentPicture` of the stored item). */
interface UploadedPicture {
  src: string;
  width: number;
  height: number;
}

type UploadOutcome = { ok: true; picture: UploadedPicture } | { ok: false; message: string };

const csrf = () => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

/**
 * Sends one file to `POST /desk/media` (multipart, with the CSRF token), reporting progress.
 * XMLHttpRequest rather than fetch: fetch cannot report upload progress. A refusal (415, 413,
 * 422…) comes back with its message already in the desk's language.
 */
function sendPicture(file: File, strings: ImageStrings, onProgress: (percent: number) => void) {
  return new Promise<UploadOutcome>((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/desk/media');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-csrf-token', csrf());
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    });
    xhr.addEventListener('error', () => resolve({ ok: false, message: strings.offline }));
    xhr.addEventListener('load', () => {
      let body: { media?: UploadedPicture; error?: { message?: string } } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // Not JSON (a proxy's page): the status says enough.
      }
      if (xhr.status < 300 && body.media) resolve({ ok: true, picture: body.media });
      else
        resolve({
          ok: false,
          message: body.error?.message ?? fill(strings.httpError, { status: xhr.status }),
        });
    });
    const data = new FormData();
    data.append('file', file, file.name);
    xhr.send(data);
  });
}

/**
 * Pictures being uploaded are not in the document (an autosave or a submit never carries a
 * half-made figure): each is a widget decoration whose position follows the edits made
 * meanwhile, as in ProseMirror's upload example. A failed one stays, saying why, until dismissed.
 */
const placeholders = new PluginKey<DecorationSet>('picture-uploads');

type PlaceholderAction = { add: { id: string; pos: number; dom: HTMLElement } } | { remove: string };

const placeholderPlugin = new Plugin<DecorationSet>({
  key: placeholders,
  state: {
    init: () => DecorationSet.empty,
    apply(tr, set) {
      set = set.map(tr.mapping, tr.doc);
      const action = tr.getMeta(placeholders) as PlaceholderAction | undefined;
      if (action && 'add' in action) {
        const { id, pos, dom } = action.add;
        set = set.add(tr.doc, [Decoration.widget(pos, dom, { id, stopEvent: () => true })]);
      } else if (action) {
        set = set.remove(set.find(undefined, undefined, (spec) => spec.id === action.remove));
      }
      return set;
    },
  },
  props: { decorations: (state) => placeholders.getState(state) },
});

const placeholderPos = (state: EditorState, id: string) =>
  placeholders.getState(state)?.find(undefined, undefined, (spec) => spec.id === id)[0]?.from;

let uploadCount = 0;

/** Uploads files and inserts each as a figure where it was dropped, pasted or chosen. */
export async function insertPictures(editor: Editor, files: File[], at: number, strings: ImageStrings) {
  await Promise.all(files.map((file) => insertPicture(editor, file, at, strings)));
}

async function insertPicture(editor: Editor, file: File, at: number, strings: ImageStrings) {
  const id = `upload-${++uploadCount}`;
  const dom = document.createElement('div');
  dom.className = 'rich-upload';
  dom.contentEditable = 'false';
  dom.dataset.state = 'uploading';
  const text = document.createElement('span');
  text.setAttribute('role', 'status');
  const progress = document.createElement('progress');
  progress.max = 100;
  progress.value = 0;
  progress.setAttribute('aria-hidden', 'true');
  dom.append(text, progress);
  const say = (percent: number) => {
    progress.value = percent;
    text.textContent = fill(strings.uploading, { name: file.name, percent });
  };
  say(0);
  const view = editor.view;
  view.dispatch(view.state.tr.setMeta(placeholders, { add: { id, pos: at, dom } }));

  const outcome = await sendPicture(file, strings, say);
  if (!outcome.ok) {
    dom.dataset.state = 'failed';
    progress.remove();
    text.setAttribute('role', 'alert');
    text.textContent = fill(strings.failed, { name: file.name, message: outcome.message });
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'secondary';
    dismiss.textContent = strings.dismiss;
    dismiss.addEventListener('click', () =>
      editor.view.dispatch(editor.view.state.tr.setMeta(placeholders, { remove: id })),
    );
    dom.append(dismiss);
    return;
  }
  // Where the placeholder went; if its surroundings were deleted meanwhile, at the caret.
  const pos = placeholderPos(editor.view.state, id) ?? editor.state.selection.to;
  editor.view.dispatch(editor.view.state.tr.setMeta(placeholders, { remove: id }));
  const { src, width, height } = outcome.picture;
  const attrs: FigureAttrs = { src, width, height, alt: '', title: null, caption: '', credit: '' };
  focusAltOfNextFigure(src);
  editor.chain().insertContentAt(pos, { type: 'figure', attrs }).run();
}

/** The picture button's file chooser (hidden, no name: it is never submitted with the form). */
export function pictureChooser(editor: Editor, strings: ImageStrings): HTMLInputElement {
  const picker = document.createElement('input');
  picker.type = 'file';
  picker.accept = 'image/jpeg,image/png,image/webp,image/avif,image/gif';
  picker.multiple = true;
  picker.hidden = true;
  picker.addEventListener('change', () => {
    const files = [...(picker.files ?? [])];
    picker.value = '';
    if (files.length) void insertPictures(editor, files, editor.state.selection.from, strings);
  });
  return picker;
}

/**
 * Paste and drop of files: each is uploaded (the server refuses what is not a picture, and the
 * placeholder says why). A paste that carries text as well as a picture (Word puts a rendering
 * of the whole selection on the clipboard) is pasted as text: only a paste of files alone is
 * uploaded.
 */
export function pictureUploads(strings: ImageStrings) {
  return Extension.create({
    name: 'pictureUploads',
    addProseMirrorPlugins() {
      const editor = this.editor;
      return [
        placeholderPlugin,
        new Plugin({
          props: {
            handlePaste(view, event) {
              const files = [...(event.clipboardData?.files ?? [])];
              if (!files.length) return false;
              const html = event.clipboardData?.getData('text/html') ?? '';
              const hasText = !!new DOMParser().parseFromString(html, 'text/html').body.textContent?.trim();
              if (hasText) return false;
              void insertPictures(editor, files, view.state.selection.from, strings);
              return true;
            },
            handleDrop(view, event, _slice, moved) {
              const files = [...(event.dataTransfer?.files ?? [])];
              if (moved || !files.length) return false;
              const at = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos;
              void insertPictures(editor, files, at ?? view.state.selection.from, strings);
              return true;
            },
          },
        }),
      ];
    },
  });
}
