import express from 'express';
import type { Asset } from './console-bundle.ts';
import { consoleBundle } from './console-bundle.ts';
import { renderConsolePage } from './console-page.ts';
import { isLocalBrowser } from './playground-route.ts';
import { RateLimiter } from './rate-limit.ts';

export type ConsoleRouteOptions = {
  /** The GraphQL endpoint the page talks to (HTTP and WebSocket). */
  endpoint: string;
  /** Mints a development token (embedded default only); absent in production. */
  devToken?: () => Promise<string>;
  /** Page loads per minute per address. */
  loadsPerMinute?: number;
};

/**
 * The page may not be framed, sniffed or leak its URL, as the playground; and it runs only its own
 * script and style from this origin, talking only to this origin (HTTP and WebSocket): no CDN, no
 * inline script (the development token travels in a meta tag, not in a script).
 */
function securityHeaders(res: express.Response): void {
  res.set({
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
      "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
}

function sendAsset(req: express.Request, res: express.Response, a: Asset): void {
  res.set({ 'Content-Type': a.type, 'Cache-Control': 'no-cache', ETag: a.etag, Vary: 'Accept-Encoding' });
  if (req.headers['if-none-match'] === a.etag) return void res.status(304).end();
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) res.set('Content-Encoding', 'gzip').send(a.gzip);
  else res.send(a.body);
}

/**
 * GET /console: the operations console, offline (its script and stylesheet are built from console/src
 * by the gateway, gateway/console-bundle.ts). A browser on this machine that asks for localhost gets
 * the development token, exactly on the playground's terms (`isLocalBrowser`, and only where a
 * development token minter exists: never in production); anyone else signs in with a token.
 */
export function consoleRoute(opts: ConsoleRouteOptions): express.Router {
  const router = express.Router();
  const limiter = new RateLimiter(opts.loadsPerMinute ?? 60);
  const plain = renderConsolePage({ endpoint: opts.endpoint });

  router.get(['/', '/index.html'], async (req, res) => {
    const wait = limiter.take(`console:${req.socket.remoteAddress ?? ''}`);
    if (wait) return void res.set('Retry-After', String(wait)).status(429).type('text/plain').send('Too many requests');
    securityHeaders(res);
    res.type('html');
    if (opts.devToken && isLocalBrowser(req)) {
      res.set('Cache-Control', 'no-store').send(renderConsolePage({ endpoint: opts.endpoint, devToken: await opts.devToken() }));
      return;
    }
    res.set('Cache-Control', 'no-cache').send(plain);
  });
  router.get(['/app.js', '/app.css'], async (req, res, next) => {
    try {
      const bundle = await consoleBundle();
      securityHeaders(res);
      sendAsset(req, res, req.path === '/app.js' ? bundle.js : bundle.css);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
