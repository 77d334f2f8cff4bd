/**
 * The editor's picture texts in the desk's language (`media:editor` in locales/<lang>/media.json,
 * put in the form's `data-image-strings` by the `tJson` template helper). `{{name}}`,
 * `{{percent}}`, `{{message}}` and `{{status}}` are filled in here.
 */
export interface ImageStrings {
  insert: string;
  figure: string;
  alt: string;
  caption: string;
  credit: string;
  remove: string;
  uploading: string;
  failed: string;
  offline: string;
  httpError: string;
  dismiss: string;
}

const FALLBACK: ImageStrings = {
  insert: 'Picture',
  figure: 'Picture',
  alt: 'Alt text',
  caption: 'Caption',
  credit: 'Credit',
  remove: 'Remove picture',
  uploading: 'Uploading {{name}}… {{percent}} %',
  failed: '{{name}} was not added: {{message}}',
  offline: 'the picture could not be sent (no connection?).',
  httpError: 'the server answered {{status}}.',
  dismiss: 'Dismiss',
};

export function imageStrings(json: string | undefined): ImageStrings {
  try {
    return { ...FALLBACK, ...(JSON.parse(json ?? '{}') as Partial<ImageStrings>) };
  } catch {
    return FALLBACK;
  }
}

export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
