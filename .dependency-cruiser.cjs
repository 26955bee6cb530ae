/**
 * The layering of Ledgerline, checked by `npm run layers` (part of `npm test`). Imports point down:
 *   scripts, gateway, bench, test  ->  sync-jobs  ->  subgraphs  ->  lib
 * seed sits beside sync-jobs (it writes every system's tables). A subgraph imports its own folder,
 * lib and subgraphs/shared; only the registry subgraphs/index.ts imports them all.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A circle makes load order matter and hides which part is the lower one.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-is-the-bottom',
      comment: 'lib is what several parts share; it knows no system and no entry point (they pass lists in).',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(subgraphs|sync-jobs|gateway|scripts|bench|seed|test|console)/' },
    },
    {
      name: 'subgraphs-point-down',
      comment: 'A subgraph is a side-effect-free library of the entry points; it must not reach up to them.',
      severity: 'error',
      from: { path: '^subgraphs/' },
      to: { path: '^(scripts|gateway|sync-jobs|bench|seed|test|console)/' },
    },
    {
      name: 'sync-jobs-point-down',
      comment: 'The sync engine runs inside entry points (workers, subgraph processes); it does not import them.',
      severity: 'error',
      from: { path: '^sync-jobs/' },
      to: { path: '^(gateway|scripts|bench|seed|test|console)/' },
    },
    {
      name: 'gateway-and-seed-point-down',
      comment: 'Entry points (scripts, bench, test) use the gateway and the seed, never the other way round.',
      severity: 'error',
      from: { path: '^(gateway|seed)/' },
      to: { path: '^(scripts|bench|test|console)/' },
    },
    {
      name: 'shared-is-a-leaf',
      comment: 'subgraphs/shared is what every system may import; it imports no system (lib only).',
      severity: 'error',
      from: { path: '^subgraphs/shared/' },
      to: { path: '^subgraphs/', pathNot: '^subgraphs/shared/' },
    },
    {
      name: 'no-cross-subgraph',
      comment:
        "A subgraph imports its own folder, lib and subgraphs/shared; of another system only its published port api/ (the sync subgraph reads every system to reconcile them, through each one's api/reads.ts). data/, resolvers/ and the rest are internals. The registry subgraphs/index.ts is the one file that imports every system.",
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/' },
      to: { path: '^subgraphs/', pathNot: '^subgraphs/($1|shared|[^/]+/api)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|reports|bench/results|dist)/' },
    // Type-only imports count: a type pulled from above is still an arrow running back up.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
