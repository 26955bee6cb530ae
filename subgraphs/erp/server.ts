import { runSubgraphProcess } from '../../scripts/run-subgraph.ts';
import { createErpSubgraph } from './subgraph.ts';

await runSubgraphProcess('erp', (db, options) => createErpSubgraph(db, options));
