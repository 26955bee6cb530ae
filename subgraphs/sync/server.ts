import { runSubgraphProcess } from '../../scripts/run-subgraph.ts';
import { createSyncSubgraph } from './subgraph.ts';

await runSubgraphProcess('sync', (db, options) => createSyncSubgraph(db, options));
