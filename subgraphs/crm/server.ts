import { runSubgraphProcess } from '../../lib/subgraph-process.ts';
import { createCrmSubgraph } from './subgraph.ts';

await runSubgraphProcess('crm', (db) => createCrmSubgraph(db));
