import { loadMapping, type Mapping } from '../../lib/mapping.ts';

/**
 * The shipped mapping plus legal entities that subgraph tests create themselves (US01, DE01...), each
 * with the accounts of a shipped entity, and any policy a test pins.
 */
export function testMapping(
  aliases: Record<string, string>,
  money: Partial<Mapping['money']> = {},
  closedPeriodPolicy?: Mapping['closedPeriodPolicy'],
): Mapping {
  const m = loadMapping();
  const legalEntities = { ...m.legalEntities };
  for (const [id, like] of Object.entries(aliases)) legalEntities[id] = { ...m.legalEntities[like]!, name: id };
  return { ...m, legalEntities, money: { ...m.money, ...money }, closedPeriodPolicy: closedPeriodPolicy ?? m.closedPeriodPolicy };
}
