import { runSubgraphProcess } from '../../scripts/run-subgraph.ts';
import { createPsaSubgraph } from './subgraph.ts';

await runSubgraphProcess('psa', (db, options) => createPsaSubgraph(db, options));
