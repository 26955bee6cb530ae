import { runSubgraphProcess } from '../../lib/subgraph-process.ts';
import { createBillingSubgraph } from './subgraph.ts';

await runSubgraphProcess('billing', (db) => createBillingSubgraph(db));
