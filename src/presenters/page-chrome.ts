import { LANGUAGE_NAMES, RTL } from '../i18n/i18n.js';
import type { WebContext } from '../web-context.js';

export interface LanguageLink {
  lang: string;
  name: string;
  href: string;
  current: boolean;
}

/** What every page's layout needs: language, direction, site name and the language switcher. */
export function pageChrome(
  ctx: WebContext,
  lang: string,
  opts: { title?: string; switcher?: LanguageLink[] } = {},
) {
  const t = ctx.i18n.getFixedT(lang);
  return {
    lang,
    dir: RTL.has(lang) ? 'rtl' : 'ltr',
    siteName: t('site.name'),
    pageTitle: opts.title ? `${opts.title} — ${t('site.name')}` : t('site.name'),
    homeHref: `/${lang}/`,
    switcher:
      opts.switcher ??
      ctx.config.languages.map((l) => ({
        lang: l,
        name: LANGUAGE_NAMES[l] ?? l,
        href: `/${l}/`,
        current: l === lang,
      })),
  };
}
