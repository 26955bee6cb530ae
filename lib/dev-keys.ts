import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Development signing keys, generated on first use under the data directory (git-ignored): one to
 * sign user tokens (`npm run token`), one for gateway-to-subgraph context. Never used in production:
 * callers refuse when NODE_ENV=production.
 */
export function devSecret(dataDir: string, name: 'dev-auth-secret' | 'dev-context-secret'): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
