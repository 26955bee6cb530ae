import { Provider } from '@urql/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { decode, endpoint, initialSession, remember, type Session } from './lib/auth.ts';
import { type Connection, createConsoleClient } from './lib/client.ts';
import { SessionContext } from './lib/session.ts';
import { ExceptionsView } from './views/Exceptions.tsx';
import { KpisView } from './views/Kpis.tsx';
import { LiveView } from './views/Live.tsx';
import { ReconciliationView } from './views/Reconciliation.tsx';
import { SlosView } from './views/Slos.tsx';

const VIEWS = {
  live: { title: 'Live sync', View: LiveView },
  exceptions: { title: 'Exceptions', View: ExceptionsView },
  reconciliation: { title: 'Reconciliation', View: ReconciliationView },
  slos: { title: 'SLOs', View: SlosView },
  kpis: { title: 'KPIs', View: KpisView },
} as const;
type ViewName = keyof typeof VIEWS;

const viewOf = (hash: string): ViewName => {
  const name = hash.replace(/^#\/?/, '');
  return name in VIEWS ? (name as ViewName) : 'live';
};

function SignIn({ onSession, problem }: { onSession: (s: Session) => void; problem: string | null }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(problem);
  return (
    <main class="sign-in">
      <h1>Ledgerline operations console</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const s = decode(text);
          if (!s) return setError('That is not a Ledgerline token (a JWT with sub and role).');
          onSession(s);
        }}
      >
        <label for="token">Bearer token</label>
        <textarea id="token" rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="eyJ..." required />
        <p class="note">The same JWT as for the graph (npm run token -- --role operator). It stays in this tab only.</p>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}

/**
 * The console's shell: sign-in with a token, one client per session, and the five views behind
 * hash links (keyboard and back-button friendly, no server routes needed).
 */
export function App() {
  const [session, setSession] = useState<Session | null>(() => initialSession());
  const [view, setView] = useState<ViewName>(() => viewOf(location.hash));
  const [connection, setConnection] = useState<Connection>('connecting');
  useEffect(() => {
    const on = () => setView(viewOf(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  const conn = useMemo(() => (session ? createConsoleClient(endpoint(), session.token, setConnection) : null), [session?.token]);
  useEffect(() => () => conn?.dispose(), [conn]);

  const signIn = (s: Session) => {
    remember(s);
    setSession(s);
  };
  if (!session || !conn) return <SignIn onSession={signIn} problem={null} />;
  if (session.role === 'portal')
    return (
      <main class="sign-in">
        <h1>Ledgerline operations console</h1>
        <p class="error" role="alert">
          The operations console is for the firm's staff. Portal users follow their own sync jobs through the graph (syncJobs,
          syncJobUpdated).
        </p>
        <button
          type="button"
          onClick={() => {
            remember(null);
            setSession(null);
          }}
        >
          Use another token
        </button>
      </main>
    );
  const { View } = VIEWS[view];
  return (
    <SessionContext.Provider value={session}>
      <Provider value={conn.client}>
        <header class="top">
          <h1>Ledgerline operations</h1>
          <nav aria-label="Views">
            {(Object.keys(VIEWS) as ViewName[]).map((v) => (
              <a key={v} href={`#/${v}`} aria-current={v === view ? 'page' : undefined}>
                {VIEWS[v].title}
              </a>
            ))}
          </nav>
          <div class="who">
            <span class={`conn conn-${connection}`} title="Live connection">
              {connection === 'live' ? 'Live' : connection === 'connecting' ? 'Connecting' : 'Reconnecting'}
            </span>
            <span data-testid="role">
              {session.sub} ({session.role})
            </span>
            <button
              type="button"
              onClick={() => {
                remember(null);
                setSession(null);
              }}
            >
              Sign out
            </button>
          </div>
        </header>
        <main class="content" aria-label={VIEWS[view].title}>
          <h2>{VIEWS[view].title}</h2>
          <View key={view} />
        </main>
      </Provider>
    </SessionContext.Provider>
  );
}
