import express from 'express';
import { AuthenticationError } from './auth.ts';
import { type OperationGate, type OperationRequest, operationOfQueryString, type Refusal } from './policy.ts';

export function sendRefusal(res: express.Response, r: Refusal): void {
  if (r.retryAfter) res.set('Retry-After', String(r.retryAfter));
  res.status(r.status).json({ errors: [{ message: r.message, extensions: { code: r.code } }] });
}

function unauthenticated(res: express.Response, message: string): void {
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer')
    .json({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
}

/**
 * The HTTP side of the gate (gateway/policy.ts) for `/graphql`, POST and GET alike: the caller is
 * authenticated before its body is read, then the operation is admitted (rate limit, trusted
 * documents) exactly as an operation over the WebSocket is.
 */
export function httpGuard(gate: OperationGate, maxBodyBytes: number): express.RequestHandler[] {
  const authenticate: express.RequestHandler = async (req, res, next) => {
    try {
      res.locals.principal = await gate.authenticate(req.headers.authorization);
      next();
    } catch (err) {
      const refused = await gate.limitFailure(req.ip);
      if (refused) return sendRefusal(res, refused);
      if (err instanceof AuthenticationError) return unauthenticated(res, err.message);
      next(err);
    }
  };
  const admit: express.RequestHandler = async (req, res, next) => {
    const isGet = req.method === 'GET' || req.method === 'HEAD';
    const request: OperationRequest = isGet ? operationOfQueryString(req.query as Record<string, unknown>) : (req.body ?? {});
    let admitted: Awaited<ReturnType<OperationGate['admit']>>;
    try {
      admitted = await gate.admit(res.locals.principal, request);
    } catch (err) {
      return next(err);
    }
    if (!admitted.ok) return sendRefusal(res, admitted);
    // A trusted document named by `documentId` (POST) runs as its text; hashes are Apollo's to resolve
    // (its persisted-query cache holds the trusted documents, gateway/trusted-documents.ts).
    if (!isGet && admitted.query && req.body && typeof req.body === 'object') req.body.query = admitted.query;
    next();
  };
  return [authenticate, express.json({ limit: maxBodyBytes }), admit];
}
