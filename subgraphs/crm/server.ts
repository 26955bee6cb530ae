import { runSubgraphProcess } from '../../scripts/run-subgraph.ts';
import { createCrmSubgraph } from './subgraph.ts';

await runSubgraphProcess('crm', (db, options) => createCrmSubgraph(db, options));
