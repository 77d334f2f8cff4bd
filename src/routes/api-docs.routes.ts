import { Router } from 'express';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** Scalar's self-contained browser build, served from node_modules: no CDN. */
const SCALAR_BUNDLE = require.resolve('@scalar/api-reference/browser/standalone.js');

/**
 * The renderer styles itself with inline styles and style elements and builds workers from
 * blobs, so its page gets a policy of its own; everything else keeps the site's strict one.
 * Scripts and connections stay same-origin, which also keeps the renderer from calling its
 * vendor's proxy, fonts or telemetry.
 */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const CONFIGURATION = {
  url: '/api/v1/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: true,
  showDeveloperTools: 'never',
  documentDownloadType: 'json',
  defaultOpenAllTags: true,
  // The vendor's hosted assistant: it would reach outside (the CSP blocks it anyway).
  agent: { disabled: true },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Newsroom API reference</title>
<link rel="icon" href="data:,">
</head>
<body>
<noscript>The reference needs JavaScript; the document itself is <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript>
<script id="api-reference" data-url="${CONFIGURATION.url}" data-configuration="${JSON.stringify(CONFIGURATION).replace(/"/g, '&quot;')}"></script>
<script src="/api/docs/scalar.js"></script>
</body>
</html>
`;

/** `/api/docs`: the OpenAPI document of /api/v1 rendered for people (Scalar). Public. */
export function apiDocsRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    if (!req.originalUrl.split('?')[0].endsWith('/')) {
      res.redirect(301, '/api/docs/'); // relative URLs in the renderer resolve under /api/docs/
      return;
    }
    res.set('Content-Security-Policy', DOCS_CSP).set('Cache-Control', 'no-cache').type('html').send(PAGE);
  });
  router.get('/scalar.js', (_req, res) => {
    res.set('Content-Security-Policy', DOCS_CSP);
    res.sendFile(SCALAR_BUNDLE, { maxAge: '1d' });
  });
  return router;
}
