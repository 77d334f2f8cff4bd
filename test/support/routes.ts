import type { Express } from 'express';

/** One route of the Express app: its method and full path pattern (Express 5 syntax). */
export interface AppRoute {
  method: string;
  path: string;
}

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  /** A Router has a stack; a mounted Express app (Bull Board's) has one on its router. */
  handle?: { stack?: Layer[]; router?: { stack?: Layer[] } };
}

/**
 * Every route of the app, read from Express's own router stack (mounted routers included,
 * Bull Board's too), so a route anyone adds later is enumerated without a list to keep.
 */
export function listRoutes(app: Express): AppRoute[] {
  const routes: AppRoute[] = [];
  const join = (prefix: string, path: string) => (path === '/' ? prefix || '/' : `${prefix}${path}`);
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = ([] as string[]).concat(layer.route.path);
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          for (const p of paths) routes.push({ method: method.toUpperCase(), path: join(prefix, p) });
        }
      } else if (layer.handle?.stack ?? layer.handle?.router?.stack) {
        const stack = (layer.handle.stack ?? layer.handle.router?.stack)!;
        const mounts = ([] as string[]).concat(layer.rawPath ?? '/');
        for (const m of mounts) walk(stack, m === '/' ? prefix : `${prefix}${m}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
