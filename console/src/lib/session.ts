import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Session } from './auth.ts';

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session; the views render only inside a signed-in shell. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}
