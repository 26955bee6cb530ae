import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ERROR_CODES } from '../lib/errors.ts';

/** One built asset, ready to serve: its bytes, gzipped bytes and a content hash for ETag. */
export type Asset = { body: Buffer; gzip: Buffer; etag: string; type: string };
export type ConsoleBundle = { js: Asset; css: Asset };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'console');

function asset(text: string, type: string): Asset {
  const body = Buffer.from(text);
  return { body, gzip: gzipSync(body), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, type };
}

/**
 * Builds the console (console/src) with esbuild, in memory. Nothing generated is committed or written
 * to disk: the gateway builds it the first time /console is asked for (well under a second), so
 * `npm install && npm start` serves a built console with no separate step, and the bundle can never
 * be stale against the source it was started from. The error-code registry is compiled in, so the
 * page shows each code's documented meaning without a second source of truth.
 */
export async function buildConsole(): Promise<ConsoleBundle> {
  const result = await build({
    entryPoints: [path.join(ROOT, 'src', 'main.tsx')],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'esm',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'silent',
    define: { __ERROR_CODES__: JSON.stringify(ERROR_CODES), 'process.env.NODE_ENV': '"production"' },
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'));
  if (!js || !css) throw new Error('the console build produced no script or no stylesheet');
  return { js: asset(js.text, 'application/javascript; charset=utf-8'), css: asset(css.text, 'text/css; charset=utf-8') };
}

let built: Promise<ConsoleBundle> | undefined;

/** The bundle of this process, built once on first use; a failed build is tried again on the next request. */
export function consoleBundle(): Promise<ConsoleBundle> {
  built ??= buildConsole().catch((err) => {
    built = undefined;
    throw err;
  });
  return built;
}
