import { type GraphQLSchema, isScalarType } from 'graphql';
import { scalarResolvers } from '../lib/scalars.ts';

/**
 * The supergraph knows the custom scalars by name only, so the gateway accepted `Date "2026-02-30"`
 * and the subgraph's refusal came back as an internal error. The gateway's API schema gets the
 * subgraphs' own input rules (lib/scalars.ts): a bad literal fails validation and a bad variable
 * fails coercion, as a 400 before any fetch. Output is left as the subgraphs serialised it.
 */
export function withScalarInputRules(schema: GraphQLSchema): GraphQLSchema {
  for (const [name, rules] of Object.entries(scalarResolvers)) {
    const type = schema.getType(name);
    if (!isScalarType(type)) continue;
    type.parseValue = rules.parseValue;
    type.parseLiteral = rules.parseLiteral;
  }
  return schema;
}
