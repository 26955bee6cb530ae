import { runSubgraphProcess } from '../../lib/subgraph-process.ts';
import { createPsaSubgraph } from './subgraph.ts';

await runSubgraphProcess('psa', (db) => createPsaSubgraph(db));
