import { appError } from './errors.ts';

/** Who is asking, as the gateway verified it and the subgraphs receive it. */
export const ROLES = ['analyst', 'portal', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Principal = {
  sub: string;
  role: Role;
  /** The one customer a portal user may see; null for firm roles. */
  customerId: string | null;
};

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Mutations: operators run sync actions and system writes, admins everything; readers write nothing. */
export function requireRole(p: Principal | null | undefined, roles: readonly Role[], what: string): Principal {
  if (!p) throw appError('UNAUTHENTICATED', 'Authentication required');
  if (!roles.includes(p.role))
    throw appError('FORBIDDEN', `Role ${p.role} may not ${what}; it needs ${roles.join(' or ')}`, { role: p.role });
  return p;
}
