import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import YAML from 'yaml';
import { z } from 'zod';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SUPERGRAPH_CONFIG = path.join(root, 'supergraph.yaml');
export const SUPERGRAPH_FILE = path.join(root, 'supergraph.graphql');

const configSchema = z.object({
  federation_version: z.string().regex(/^=\d+\.\d+\.\d+$/, 'pin an exact version, e.g. =2.14.4'),
  subgraphs: z.record(z.object({ routing_url: z.string().url(), schema: z.object({ file: z.string() }) })),
});

export type SupergraphConfig = z.infer<typeof configSchema>;

export function readSupergraphConfig(file = SUPERGRAPH_CONFIG): SupergraphConfig {
  return configSchema.parse(YAML.parse(readFileSync(file, 'utf8')));
}

export type ComposeResult = { ok: true; supergraphSdl: string; subgraphs: string[] } | { ok: false; errors: string[] };

/** Composes the subgraphs listed in supergraph.yaml with the pinned @apollo/composition. */
export function composeSupergraph(config = readSupergraphConfig()): ComposeResult {
  const installed = createRequire(import.meta.url)('@apollo/composition/package.json').version as string;
  const pinned = config.federation_version.slice(1);
  if (installed !== pinned) {
    return { ok: false, errors: [`supergraph.yaml pins federation ${pinned} but @apollo/composition ${installed} is installed`] };
  }
  const services = Object.entries(config.subgraphs).map(([name, s]) => ({
    name,
    url: s.routing_url,
    typeDefs: parse(readFileSync(path.resolve(root, s.schema.file), 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
  return { ok: true, supergraphSdl: result.supergraphSdl, subgraphs: services.map((s) => s.name) };
}
