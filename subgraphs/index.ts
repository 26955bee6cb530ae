import type { Kysely } from 'kysely';
import type { Mapping } from '../lib/mapping.ts';
import type { SubgraphModule, SubgraphOptions, SystemDefinition } from '../lib/subgraph.ts';
import { system as billing } from './billing/subgraph.ts';
import { system as crm } from './crm/subgraph.ts';
import { system as erp } from './erp/subgraph.ts';
import { system as psa } from './psa/subgraph.ts';
import type { SyncControl } from './sync/api/index.ts';
import { system as sync } from './sync/subgraph.ts';
import { system as time } from './time/subgraph.ts';

/**
 * The registry: every system of the hub, in the order they start, migrate and compose. A subgraph's
 * port is SUBGRAPH_PORT_BASE + its index here. Config names, migrations, composition, the start
 * script and the sync engine's typed views all derive from this one list; `npm run new:system`
 * adds a system by adding its import and its entry. Static imports rather than a folder scan: they
 * work the same under tsx, vitest and a bundler.
 */
export const SYSTEMS = [crm, psa, time, billing, erp, sync] as const;

export type System = (typeof SYSTEMS)[number];
export type SubgraphName = System['name'];

/** The table types of a system, as its factory takes them. */
export type DatabaseOf<S> = S extends SystemDefinition<string, infer DB> ? DB : never;

/** One database seen through every system's own table types (sync-jobs/flow.ts `Systems`). */
export type SystemDatabases = { [S in System as S['name']]: Kysely<DatabaseOf<S>> };

export const SUBGRAPH_NAMES: readonly SubgraphName[] = SYSTEMS.map((s) => s.name);

/** What the composition root hands every factory: the sync engine's triggers and operator actions, and its mapping. */
export type StackOptions = SubgraphOptions & { control?: SyncControl; mapping?: Mapping };

type Factory = (db: Kysely<any>, options?: StackOptions) => SubgraphModule<any>;

/** Every subgraph's factory, by name. */
export const SUBGRAPH_FACTORIES = Object.fromEntries(SYSTEMS.map((s) => [s.name, s.create])) as Record<SubgraphName, Factory>;

export function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}

/** The port of a subgraph run as its own process: SUBGRAPH_PORT_BASE + its index in the registry. */
export function subgraphPort(portBase: number, name: SubgraphName): number {
  return portBase + SUBGRAPH_NAMES.indexOf(name);
}
