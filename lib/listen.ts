import type { Server } from 'node:net';

/** A port that could not be bound, said in one line an operator can act on. */
export class ListenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ListenError';
  }
}

/**
 * Binds `server` and resolves once it listens; rejects when it cannot (port in use, no permission),
 * instead of leaving the 'error' event to whoever else listens on the server: graphql-ws's
 * WebSocketServer re-emits it on itself, and the start-up then waited forever.
 */
export function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = `${host}:${port}`;
      if (err.code === 'EADDRINUSE')
        reject(new ListenError(err.code, `${what}: port ${where} is already in use (another Ledgerline running? set PORT)`));
      else if (err.code === 'EACCES') reject(new ListenError(err.code, `${what}: no permission to listen on ${where}`));
      else reject(new ListenError(err.code ?? 'LISTEN_FAILED', `${what}: cannot listen on ${where}: ${err.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
