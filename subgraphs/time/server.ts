import { runSubgraphProcess } from '../../lib/subgraph-process.ts';
import { createTimeSubgraph } from './subgraph.ts';

await runSubgraphProcess('time', (db) => createTimeSubgraph(db));
