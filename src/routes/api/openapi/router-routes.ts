import type { Router } from 'express';
import { registeredRoute, type HttpMethod, type RegisteredRoute } from './api-route.js';

/** One route Express will answer, with its full path under the router it was read from. */
export interface ExpressRoute {
  method: HttpMethod;
  /** Express syntax: `/stories/:id`. */
  path: string;
  /** Its declaration through `apiRoute`, or undefined for a route declared around it. */
  registered?: RegisteredRoute;
  /** Express's Route object (what `req.route` is while it handles a request). */
  route: object;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[] | RegExp;
  slash?: boolean;
}

const METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Every route in an Express router and the routers mounted in it, read from Express's own
 * stack: the truth the OpenAPI document is checked against.
 */
export function routerRoutes(router: Router, prefix = ''): ExpressRoute[] {
  const out: ExpressRoute[] = [];
  for (const layer of (router as unknown as { stack: Layer[] }).stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        for (const method of METHODS) {
          if (!layer.route.methods[method]) continue;
          out.push({
            method,
            path: prefix + path,
            registered: registeredRoute(layer.route),
            route: layer.route,
          });
        }
      }
    } else if (layer.handle.stack) {
      const mounts = layer.slash || layer.rawPath === undefined ? [''] : [layer.rawPath].flat();
      for (const mount of mounts) {
        // A router mounted on a regular expression has no path to document.
        if (typeof mount === 'string')
          out.push(...routerRoutes(layer.handle as unknown as Router, prefix + mount));
      }
    }
  }
  return out;
}
