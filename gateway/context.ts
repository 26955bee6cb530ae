import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../lib/principal.ts';

/** Per-request gateway context: the verified caller travels to every subgraph from here. */
export type GatewayContext = {
  requestId: string;
  principal: Principal;
};

function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
}

export function createGatewayContext(headers: IncomingHttpHeaders, principal: Principal): GatewayContext {
  return { requestId: requestIdOf(headers), principal };
}
