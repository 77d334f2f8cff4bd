/**
 * A machine-translation engine. One adapter exists (LibreTranslate, `libretranslate.ts`);
 * another engine (DeepL, a Marian or Bergamot server) is one more implementation of this
 * interface, chosen in `mt-providers.ts`. Texts are HTML fragments whose only tags are our
 * inline codes (`mt-codes.ts`).
 */
export interface MtProvider {
  /** Stable name: part of the cache key and shown beside the suggestion. */
  readonly name: string;
  /** Translates every text in one call, in order; throws `MtError` when the engine fails. */
  translate(texts: string[], from: string, to: string): Promise<string[]>;
  /** The pairs the engine serves: source code → target codes. */
  languages(): Promise<Map<string, Set<string>>>;
}

/** Why a provider call failed: the caller logs it and goes on without MT. */
export class MtError extends Error {
  constructor(
    message: string,
    readonly code: 'timeout' | 'rate_limited' | 'unavailable' | 'rejected' | 'bad_answer',
  ) {
    super(message);
  }
}
