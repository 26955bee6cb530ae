import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { DEFAULT_SUBGRAPH_PORT_BASE } from '../lib/config.ts';
import { SYSTEMS } from '../subgraphs/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SUPERGRAPH_FILE = path.join(root, 'supergraph.graphql');

/** The pinned composition version: `npm run compose` refuses another installed @apollo/composition. */
export const FEDERATION_VERSION = '2.14.4';

/** One subgraph as composition sees it. */
export type ComposeService = { name: string; url: string; sdl: string };

/**
 * The subgraphs of the one graph, derived from the registry (subgraphs/index.ts). Routing URLs are
 * those of `npm start` (SUBGRAPH_PORT_BASE + index); a distributed deployment overrides them per
 * subgraph with SUBGRAPH_<NAME>_URL.
 */
export function registryServices(): ComposeService[] {
  return SYSTEMS.map((s, i) => ({
    name: s.name,
    url: `http://localhost:${DEFAULT_SUBGRAPH_PORT_BASE + i}/graphql`,
    sdl: s.sdl,
  }));
}

export type ComposeResult = { ok: true; supergraphSdl: string; subgraphs: string[] } | { ok: false; errors: string[] };

/** Composes the registry's subgraphs with the pinned @apollo/composition. */
export function composeSupergraph(services: ComposeService[] = registryServices()): ComposeResult {
  const installed = createRequire(import.meta.url)('@apollo/composition/package.json').version as string;
  if (installed !== FEDERATION_VERSION) {
    return {
      ok: false,
      errors: [`gateway/compose.ts pins federation ${FEDERATION_VERSION} but @apollo/composition ${installed} is installed`],
    };
  }
  const result = composeServices(services.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
  return { ok: true, supergraphSdl: result.supergraphSdl, subgraphs: services.map((s) => s.name) };
}
