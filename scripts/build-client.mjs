// @ts-check
/**
 * Bundles the desk's client entry points — every `src/client/<name>.ts` — with esbuild into
 * `public/assets/<name>-<hash>.js` and writes `public/assets/manifest.json` (name → URL), which
 * the `clientScript` template helper reads. Content-hashed names let the assets be cached as
 * immutable. Run by `npm run build`, `npm run dev`, the postinstall and the tests' global setup.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLIENT_DIR = join(root, 'src', 'client');
export const ASSETS_DIR = join(root, 'public', 'assets');

/** Entry points: the top-level `.ts` files of `src/client/` (helpers live in subfolders). */
export function clientEntries() {
  return readdirSync(CLIENT_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(CLIENT_DIR, f));
}

/**
 * Builds every entry point; returns the manifest. `minify` defaults to on in production.
 * @param {{ minify?: boolean, quiet?: boolean }} [opts]
 */
export async function buildClient(opts = {}) {
  const { build } = await import('esbuild');
  const minify = opts.minify ?? process.env.NODE_ENV === 'production';
  rmSync(ASSETS_DIR, { recursive: true, force: true });
  mkdirSync(ASSETS_DIR, { recursive: true });
  const result = await build({
    entryPoints: clientEntries(),
    outdir: ASSETS_DIR,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    sourcemap: true,
    minify,
    metafile: true,
    legalComments: 'linked',
    logLevel: opts.quiet ? 'error' : 'warning',
  });
  /** @type {Record<string, string>} */
  const manifest = {};
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint || !out.endsWith('.js')) continue;
    manifest[basename(meta.entryPoint, '.ts')] = `/assets/${relative(ASSETS_DIR, join(root, out))}`;
  }
  writeFileSync(join(ASSETS_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = await buildClient();
  console.log(`client bundles: ${Object.values(manifest).join(', ')}`);
}
