import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';

// `npm run start:subgraph -- crm`: one subgraph as its own process.
const name = process.argv[2] as SubgraphName | undefined;
if (!name || !SUBGRAPH_NAMES.includes(name)) {
  console.error(`Usage: npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(2);
}
await import(`../subgraphs/${name}/server.ts`);
