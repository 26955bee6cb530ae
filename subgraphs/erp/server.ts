import { runSubgraphProcess } from '../../lib/subgraph-process.ts';
import { createErpSubgraph } from './subgraph.ts';

await runSubgraphProcess('erp', (db) => createErpSubgraph(db));
