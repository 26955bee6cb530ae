import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Per-request gateway context; authentication adds the verified principal here. */
export type GatewayContext = {
  requestId: string;
};

export function createGatewayContext(headers: IncomingHttpHeaders): GatewayContext {
  const given = headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
  return { requestId: id };
}
