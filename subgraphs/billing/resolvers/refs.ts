/** An entity another subgraph owns or resolves: billing answers with its key, the router fetches the rest. */
export const ref = (id: string) => ({ id });
