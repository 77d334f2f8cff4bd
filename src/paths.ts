import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (where package.json is), found the same from src/ under tsx and from dist/src/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('newsroom: cannot find the project root (package.json)');
    dir = parent;
  }
  return dir;
}

export const ROOT = findRoot();
export const TEMPLATES_DIR = join(ROOT, 'templates');
export const LOCALES_DIR = join(ROOT, 'locales');
export const STORE_BINARY = join(ROOT, '.bin', 'newsroom-store');
