import { runSubgraphProcess } from '../../scripts/run-subgraph.ts';
import { createTimeSubgraph } from './subgraph.ts';

await runSubgraphProcess('time', (db, options) => createTimeSubgraph(db, options));
