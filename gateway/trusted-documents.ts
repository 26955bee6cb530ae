import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A manifest of trusted documents: `{ "<sha256 hex>": "<document>" }`, as clients' build tools emit. */
export function loadTrustedDocuments(file: string): Map<string, string> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const docs = new Map<string, string>();
  for (const [hash, doc] of Object.entries(raw)) {
    const actual = createHash('sha256').update(doc).digest('hex');
    if (actual !== hash) throw new Error(`${file}: the document under ${hash} hashes to ${actual}`);
    docs.set(hash, doc);
  }
  return docs;
}

/**
 * Trusted-documents-only mode: a request names a document by hash (the APQ extension or
 * `documentId`) or sends the exact text of one; anything else is refused before parsing. Returns the
 * document text to execute, or null.
 */
export function resolveTrustedDocument(
  docs: Map<string, string>,
  body: { query?: unknown; documentId?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } },
): string | null {
  const hash = body.extensions?.persistedQuery?.sha256Hash ?? body.documentId;
  if (typeof hash === 'string' && docs.has(hash)) return docs.get(hash)!;
  if (typeof body.query === 'string') {
    const h = createHash('sha256').update(body.query).digest('hex');
    if (docs.get(h) === body.query) return body.query;
  }
  return null;
}

/**
 * Apollo Server's persisted-query cache in trusted-documents mode: it knows the trusted documents by
 * hash (so a GET or POST that sends only the hash runs) and learns nothing else (registering a new
 * document by sending its text and hash is refused by the gate before it gets here).
 */
export function trustedDocumentsCache(docs: Map<string, string>) {
  // Apollo prefixes its keys ("apq:<sha256>"); the hash is what follows the last colon.
  const hashOf = (key: string) => key.slice(key.lastIndexOf(':') + 1);
  return {
    get: async (key: string) => docs.get(hashOf(key)),
    set: async () => undefined,
    delete: async () => false,
  };
}
