import type { Config } from '../config.js';
import { LibreTranslate } from './libretranslate.js';
import type { MtProvider } from './mt-provider.js';

const providers = new WeakMap<Config, MtProvider | null>();

/** The configured engine, or null when `MT_URL` is unset (MT is then absent, not an error). */
export function mtProvider(config: Config): MtProvider | null {
  if (!providers.has(config)) {
    providers.set(
      config,
      config.MT_URL
        ? new LibreTranslate({
            url: config.MT_URL,
            apiKey: config.MT_API_KEY,
            timeoutMs: config.MT_TIMEOUT_MS,
            retries: config.MT_RETRIES,
          })
        : null,
    );
  }
  return providers.get(config) ?? null;
}

/** True when MT serves this pair (configured, and the pair listed in `MT_PAIRS`). */
export const mtEnabled = (config: Config, pair: string) =>
  Boolean(config.MT_URL) && config.mtPairs.includes(pair);
