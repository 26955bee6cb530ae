import type { Mapping } from '../../lib/mapping.ts';
import type { Rng } from '../rng.ts';
import type {
  BillingModel,
  ContractRow,
  CustomerRow,
  OpportunityRow,
  PeriodRow,
  ProjectRow,
  ResourceRow,
  RoundingMode,
  TimeEntryRow,
  WorldHighlights,
  WorldTables,
} from '../types.ts';

/** A customer with what other systems need to know about it. */
export type CustomerInfo = {
  row: CustomerRow;
  region: string;
  legalEntityId: string;
  currency: string;
  /** Null when the erp has no financial master for it (a deliberate exception). */
  master: { taxCode: string | null; paymentTermsDays: number } | null;
  /** Day the customer first appeared in the CRM. */
  createdDay: number;
};

export type ResourceInfo = {
  row: ResourceRow;
  index: number;
  role: string;
  legalEntityId: string;
  currency: string;
  costRateMinor: number;
};

export type TeamMember = { resource: ResourceInfo; role: string; startDay: number; endDay: number };

export type ProjectInfo = {
  row: ProjectRow;
  contract: ContractRow;
  customer: CustomerInfo;
  opportunityId: string;
  billingModel: BillingModel;
  serviceLine: string;
  legalEntityId: string;
  currency: string;
  startDay: number;
  /** Last day of work: the end date, or the day before "as of" for projects that run on. */
  endDay: number;
  closed: boolean;
  wonDay: number;
  rateCardId: string;
  rounding: { increment: number; mode: RoundingMode };
  billableTaskIds: string[];
  nonBillableTaskId: string | null;
  team: TeamMember[];
  fixedFeeMinor: number | null;
  /** Opportunity milestones for MILESTONES deals. */
  milestones: { id: string; name: string; amountMinor: number; dueDay: number }[];
};

export type EntryInfo = { row: TimeEntryRow; day: number; project: ProjectInfo; resource: ResourceInfo; role: string };

/** Everything the per-system generators share while a world is built. */
export type GenContext = {
  seed: number;
  scale: number;
  asOfDay: number;
  mapping: Mapping;
  tables: WorldTables;
  rng: (label: string) => Rng;
  /** First day of the oldest open-or-closed period (13 months up to "as of"). */
  firstPeriodDay: number;
  /** Approved billable T&M time worked before this day is invoiced; later approved time is WIP. */
  billingCutoffDay: number;
  periods: Map<string, PeriodRow>;
  customers: CustomerInfo[];
  resources: ResourceInfo[];
  projects: ProjectInfo[];
  entries: EntryInfo[];
  rateCards: Map<string, RateCardInfo>;
  deals: WonDeal[];
  highlights: WorldHighlights;
  /** `sourceType:sourceId` -> journal entry id, filled by the ledger generator. */
  journalEntryIdOf: Map<string, string>;
};

export type RateHistory = { fromDay: number; rateMinor: number }[];
export type RateCardInfo = { id: string; currency: string; rates: Map<string, RateHistory> };

/** A won opportunity, with the schedule of the project it becomes. */
export type WonDeal = {
  opportunity: OpportunityRow;
  customer: CustomerInfo;
  billingModel: BillingModel;
  serviceLine: string;
  wonDay: number;
  startDay: number;
  /** Contractual end date (may lie after "as of"). */
  endDay: number;
  closed: boolean;
  workstreams: { role: string; minutes: number; rateMinor: number }[];
  fixedFeeMinor: number | null;
  milestones: { id: string; name: string; amountMinor: number; dueDay: number }[];
};

export function periodFor(ctx: GenContext, legalEntityId: string, monthCode: string): PeriodRow {
  const p = ctx.periods.get(`${legalEntityId}:${monthCode}`);
  if (!p) throw new Error(`seed: no period ${monthCode} for ${legalEntityId}`);
  return p;
}

export function entityOf(m: Mapping, legalEntityId: string): Mapping['legalEntities'][string] {
  const le = m.legalEntities[legalEntityId];
  if (!le) throw new Error(`seed: unknown legal entity ${legalEntityId}`);
  return le;
}

export function taxRateBp(m: Mapping, taxCode: string): number {
  const t = m.taxCodes[taxCode];
  if (!t) throw new Error(`seed: unknown tax code ${taxCode}`);
  return t.rateBp;
}
