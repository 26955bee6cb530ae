import { runSubgraphProcess } from '../../lib/subgraph-process.ts';
import { createSyncSubgraph } from './subgraph.ts';

await runSubgraphProcess('sync', (db) => createSyncSubgraph(db));
