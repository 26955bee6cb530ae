import { runSubgraphProcess } from '../../scripts/run-subgraph.ts';
import { createBillingSubgraph } from './subgraph.ts';

await runSubgraphProcess('billing', (db, options) => createBillingSubgraph(db, options));
