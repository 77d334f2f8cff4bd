import { createServer, type Server } from 'node:http';
import type { AppContext } from '../context.js';
import { RENDER_HEADER, RENDER_SECRET, STORED_HEADER } from '../middleware/cached-response.js';

interface Renderer {
  base: string;
  server: Server;
}

const renderers = new WeakMap<AppContext, Promise<Renderer>>();

/**
 * Renders pages into the shared page store by requesting them from this process's own app on
 * a loopback port: the same routes, headers and bytes as a reader's first request, with no
 * second rendering path to keep in step. Built on first use (templates, translations, app);
 * loaded lazily because the app imports the job registry this module's job belongs to.
 */
function rendererFor(ctx: AppContext): Promise<Renderer> {
  let r = renderers.get(ctx);
  if (!r) {
    r = (async () => {
      const [{ createWebContext }, { createApp }] = await Promise.all([
        import('../server.js'),
        import('../app.js'),
      ]);
      const app = createApp(await createWebContext({ ctx }));
      const server = createServer(app);
      server.keepAliveTimeout = 5_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      server.unref();
      const { port } = server.address() as { port: number };
      return { base: `http://127.0.0.1:${port}`, server };
    })();
    renderers.set(ctx, r);
  }
  return r;
}

/**
 * Makes sure each URL is in the shared page store, rendering it if not; retries a page whose
 * store was refused because an invalidation ran during its render. Returns how many are stored.
 */
export async function renderIntoStore(ctx: AppContext, urls: string[]): Promise<number> {
  if (urls.length === 0 || ctx.config.PAGE_STORE_MB === 0) return 0;
  const { base } = await rendererFor(ctx);
  // Asked together: one pipelined round trip, not one per page.
  const already = await Promise.all(urls.map((url) => ctx.pageCache.isStored(url)));
  let stored = 0;
  for (const [i, url] of urls.entries()) {
    if (already[i]) {
      stored++;
      continue;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await fetch(base + url, {
        headers: { 'accept-encoding': 'identity', [RENDER_HEADER]: RENDER_SECRET },
        redirect: 'manual',
      });
      await res.arrayBuffer();
      // 204 is a rendered page, answered without its bytes; a redirect or a 404 is not cached.
      if (res.status !== 204) break;
      if (res.headers.get(STORED_HEADER) === '1') {
        stored++;
        break;
      }
    }
  }
  return stored;
}

/** Stops this process's renderer (runtime shutdown). */
export async function closePageRenderer(ctx: AppContext): Promise<void> {
  const r = renderers.get(ctx);
  renderers.delete(ctx);
  if (!r) return;
  const { server } = await r;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
