/** What the console needs from a token: who, which role, until when. Verified by the gateway, not here. */
export type Session = { token: string; sub: string; role: string; customerId: string | null; expiresAt: number | null };

const KEY = 'ledgerline-console-token';

function meta(name: string): string | null {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null;
}

/** The development token the gateway put in the page (a browser on the same machine only), if any. */
export function devToken(): string | null {
  return meta('ledgerline-dev-token');
}

export function endpoint(): string {
  return meta('ledgerline-endpoint') ?? '/graphql';
}

/**
 * Reads the claims of a JWT without verifying it: the console only adapts what it shows (no action
 * buttons for analysts); every request is checked by the gateway and the subgraphs anyway.
 */
export function decode(token: string): Session | null {
  const part = token
    .trim()
    .replace(/^Bearer\s+/i, '')
    .split('.')[1];
  if (!part) return null;
  try {
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    if (typeof json.sub !== 'string' || typeof json.role !== 'string') return null;
    return {
      token: token.trim().replace(/^Bearer\s+/i, ''),
      sub: json.sub,
      role: json.role,
      customerId: typeof json.customer_id === 'string' ? json.customer_id : null,
      expiresAt: typeof json.exp === 'number' ? json.exp * 1000 : null,
    };
  } catch {
    return null;
  }
}

/** The tab's session: kept in sessionStorage (gone when the tab closes), else the development token. */
export function initialSession(): Session | null {
  const stored = sessionStorage.getItem(KEY);
  if (stored) {
    const s = decode(stored);
    if (s && (s.expiresAt === null || s.expiresAt > Date.now())) return s;
    sessionStorage.removeItem(KEY);
  }
  const dev = devToken();
  return dev ? decode(dev) : null;
}

export function remember(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, s.token);
  else sessionStorage.removeItem(KEY);
}

/** Operators and admins run sync actions; the server refuses everyone else whatever the page shows. */
export function canAct(s: Session): boolean {
  return s.role === 'operator' || s.role === 'admin';
}
