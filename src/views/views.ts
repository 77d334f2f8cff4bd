import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from '../paths.js';

export type Template = Handlebars.TemplateDelegate;

/**
 * All templates compiled once at start (never per request). `pages/article.hbs` is
 * `views.get('pages/article')`; partials are registered by their path under `partials/`.
 * Helpers are registered by whoever owns them (i18n, URLs, dates) through `views.hbs`.
 */
export class Views {
  readonly hbs = Handlebars.create();
  private readonly templates = new Map<string, Template>();

  constructor(dir = TEMPLATES_DIR) {
    for (const file of walk(dir).filter((f) => f.endsWith('.hbs'))) {
      const name = relative(dir, file).replace(/\.hbs$/, '');
      const source = readFileSync(file, 'utf8');
      if (name.startsWith('partials/')) this.hbs.registerPartial(name.slice('partials/'.length), source);
      else this.templates.set(name, this.hbs.compile(source, { strict: false, preventIndent: true }));
    }
  }

  get(name: string): Template {
    const template = this.templates.get(name);
    if (!template) throw new Error(`newsroom: no template templates/${name}.hbs`);
    return template;
  }

  /** Renders a page into a layout: the page's HTML becomes the layout's `body`. */
  page(name: string, data: Record<string, unknown>, layout = 'layouts/main'): string {
    const body = this.get(name)(data);
    return this.get(layout)({ ...data, body });
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
