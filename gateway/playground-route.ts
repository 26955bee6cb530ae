import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type express from 'express';
import { renderPlayground } from './playground.ts';
import { RateLimiter } from './rate-limit.ts';

/** Where the development token goes in the rendered page; replaced per request, never cached. */
const TOKEN_SLOT = 'LEDGERLINE-PLAYGROUND-TOKEN-SLOT';
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

export type PlaygroundOptions = {
  endpoint: string;
  /** Mints a development token (embedded default only); absent in production. */
  devToken?: () => Promise<string>;
  /** Page loads per minute per address. */
  loadsPerMinute?: number;
};

/**
 * A development token is handed out only to a browser on this very machine that asked for this
 * machine by name: the socket is loopback, no proxy stands in between (X-Forwarded-For), and the Host
 * header is localhost. The last check defeats DNS rebinding: a web page that resolves its own name to
 * 127.0.0.1 still sends its own name as Host.
 */
export function isLocalBrowser(req: express.Request): boolean {
  return (
    LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') &&
    req.headers['x-forwarded-for'] === undefined &&
    req.headers.forwarded === undefined &&
    LOOPBACK_HOSTS.test(req.headers.host ?? '')
  );
}

function securityHeaders(res: express.Response): void {
  // The playground may not be framed (clickjacking), sniffed as another type, or leak its URL.
  res.set({
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
}

/**
 * GET /graphql for a browser: GraphiQL, inlined (offline). Programs (Accept: application/json, or a
 * `query` parameter) pass on to GraphQL. The tokenless page is rendered once, compressed once and
 * cached by the browser (ETag); the page with a development token is made per request and never cached.
 */
export function playgroundRoute(opts: PlaygroundOptions): express.RequestHandler {
  const withSlot = opts.devToken ? renderPlayground(opts.endpoint, TOKEN_SLOT) : undefined;
  const plain = Buffer.from(renderPlayground(opts.endpoint));
  const plainGzip = gzipSync(plain);
  const etag = `"${createHash('sha256').update(plain).digest('base64url').slice(0, 27)}"`;
  const limiter = new RateLimiter(opts.loadsPerMinute ?? 60);

  return async (req, res, next) => {
    if (req.accepts(['text/html', 'application/json']) !== 'text/html' || req.query.query !== undefined) return next();
    const wait = limiter.take(`page:${req.socket.remoteAddress ?? ''}`);
    if (wait) {
      res.set('Retry-After', String(wait)).status(429).type('text/plain').send('Too many requests');
      return;
    }
    securityHeaders(res);
    res.type('html').vary('Accept-Encoding');
    if (withSlot && opts.devToken && isLocalBrowser(req)) {
      res.set('Cache-Control', 'no-store').send(withSlot.split(TOKEN_SLOT).join(await opts.devToken()));
      return;
    }
    res.set({ 'Cache-Control': 'public, max-age=300', ETag: etag });
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) res.set('Content-Encoding', 'gzip').send(plainGzip);
    else res.send(plain);
  };
}
