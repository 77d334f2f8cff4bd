import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths.js';

/** Where `scripts/build-client.mjs` writes the bundles and their manifest (served at `/assets/`). */
export const CLIENT_ASSETS_DIR = join(ROOT, 'public', 'assets');

let manifest: Record<string, string> | undefined;

/**
 * The URL of a client bundle (`src/client/<name>.ts`), content-hashed by the build. Undefined
 * when the bundles were not built: the page then works without its enhancement, as it must
 * anyway. The manifest is read once it exists (bundles change only with a build and restart).
 */
export function clientScriptUrl(name: string): string | undefined {
  if (!manifest) {
    try {
      manifest = JSON.parse(readFileSync(join(CLIENT_ASSETS_DIR, 'manifest.json'), 'utf8')) as Record<
        string,
        string
      >;
    } catch {
      return undefined;
    }
  }
  return manifest[name];
}
