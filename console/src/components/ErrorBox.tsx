import type { CombinedError } from '@urql/core';

type Problem = { code: string; message: string };

/** The errors of a response as code and message, with the code's documented meaning (lib/errors.ts). */
export function problemsOf(error: CombinedError | undefined): Problem[] {
  if (!error) return [];
  if (error.networkError && !error.graphQLErrors.length) return [{ code: 'NETWORK_ERROR', message: error.networkError.message }];
  return error.graphQLErrors.map((e) => ({ code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), message: e.message }));
}

export function ErrorBox({ error, problems }: { error?: CombinedError; problems?: Problem[] }) {
  const list = problems ?? problemsOf(error);
  if (!list.length) return null;
  return (
    <div class="error" role="alert">
      {list.map((p) => (
        <p key={`${p.code}:${p.message}`}>
          <strong class="code">{p.code}</strong> {p.message}
          {__ERROR_CODES__[p.code] ? <span class="meaning"> {__ERROR_CODES__[p.code]}</span> : null}
        </p>
      ))}
    </div>
  );
}
