import { Supergraph } from '@apollo/federation-internals';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';

export type SchemaCheck = { changes: Change[]; breaking: Change[]; unapproved: Change[] };

/**
 * Compares the API schemas (what clients see, without federation's join machinery) of two
 * supergraphs. A breaking change is approved when its path appears in backticks in `approved`.
 */
export async function checkSchema(baseSupergraph: string, newSupergraph: string, approved: string): Promise<SchemaCheck> {
  const api = (sdl: string) => Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
  const changes = await diff(api(baseSupergraph), api(newSupergraph));
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  return { changes, breaking, unapproved: breaking.filter((c) => !c.path || !approved.includes(`\`${c.path}\``)) };
}
