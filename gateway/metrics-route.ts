import { timingSafeEqual } from 'node:crypto';
import type express from 'express';
import { registry } from '../lib/metrics.ts';
import type { Authenticator } from './auth.ts';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * /metrics on the public port answers only to a scraper that presents METRICS_TOKEN as a bearer
 * token, or to an operator or admin: the metrics name every flow, error code and request rate,
 * which is reconnaissance for anyone else.
 */
export function metricsRoute(authenticator: Authenticator, metricsToken: string | undefined): express.RequestHandler {
  return async (req, res) => {
    const authorization = req.headers.authorization ?? '';
    let allowed = metricsToken !== undefined && sameSecret(authorization, `Bearer ${metricsToken}`);
    if (!allowed) {
      try {
        const caller = await authenticator.verify(authorization);
        allowed = caller.role === 'operator' || caller.role === 'admin';
      } catch {
        allowed = false;
      }
    }
    if (!allowed) {
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('metrics need METRICS_TOKEN or an operator token');
      return;
    }
    res.type(registry.contentType).send(await registry.metrics());
  };
}
