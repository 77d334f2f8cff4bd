import { surrogate } from '../../cache/surrogate-keys.js';
import { presentCard } from '../../presenters/release-card.js';
import { readerUrls } from '../../presenters/urls.js';
import { loadCards } from '../../read-models/release-index.js';
import type { WebContext } from '../../web-context.js';

/**
 * What a listing of a language with nothing published yet (in it, or in the section) shows
 * instead of an empty page: the source language's newest releases with a notice saying so.
 * Each links to the story's availability page in the reader's language, which shows the
 * original with the interface in that language (and becomes the translation once there is
 * one). Undefined on the source language itself, or when the source has nothing either.
 */
export async function sourceLanguageFallback(ctx: WebContext, lang: string, limit: number, section?: string) {
  const source = ctx.config.sourceLanguage;
  if (lang === source) return undefined;
  const k = ctx.keys.releases;
  const ids = await ctx.redis.zrevrange(
    section ? k.section(source, section) : k.language(source),
    0,
    limit - 1,
  );
  const cards = await loadCards(ctx, ids);
  if (cards.length === 0) return undefined;
  const t = ctx.i18n.getFixedT(lang);
  const available = t(`languageIn.${source}`);
  return {
    lang: source,
    notice: t('notice.languageEmpty', { lang: t(`languageIn.${lang}`), available }),
    items: cards.map((c) => ({
      ...presentCard(ctx, lang, c, !section),
      href: readerUrls.story(lang, c.story),
      textLang: c.lang,
    })),
    all: {
      href: section ? readerUrls.section(source, section) : readerUrls.news(source),
      text: t('notice.allInLanguage', { available }),
    },
    /** The page now shows the source language's list too. */
    surrogate: section ? surrogate.section(source, section) : surrogate.listing(source),
  };
}

export type LanguageFallback = NonNullable<Awaited<ReturnType<typeof sourceLanguageFallback>>>;
