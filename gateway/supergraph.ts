import { readFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from './compose.ts';

/** The gateway serves the static, checked-in supergraph: what runs is what was reviewed. */
export function loadSupergraphSdl(file = SUPERGRAPH_FILE): string {
  return readFileSync(file, 'utf8');
}
