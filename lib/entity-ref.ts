/**
 * An entity as a subgraph that does not own it receives and returns it: its key. codegen.ts maps
 * such key stubs (a Customer in the time subgraph, say) to this, so their resolvers take `{ id }`.
 */
export type EntityRef = { id: string };
