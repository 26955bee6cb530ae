import { at, dayStr } from '../dates.ts';
import { IdSequence, seqId } from '../ids.ts';
import { FIRST_NAMES, LAST_NAMES, TASK_NAMES } from '../names.ts';
import type { ContractRow, ProjectRow, RoundingMode } from '../types.ts';
import { entityOf, type GenContext, type ProjectInfo, type ResourceInfo, type TeamMember } from './context.ts';
import { COST_RATES, cardRate, ROLES, type Role, wholeUnits } from './rates.ts';

/** Ten seats that repeat: 2 analysts, 3 consultants, 3 senior consultants, a manager and a partner. */
const ROLE_PATTERN: Role[] = [
  'CONSULTANT',
  'SENIOR_CONSULTANT',
  'ANALYST',
  'CONSULTANT',
  'MANAGER',
  'SENIOR_CONSULTANT',
  'ANALYST',
  'CONSULTANT',
  'PARTNER',
  'SENIOR_CONSULTANT',
];

/** psa customer references (from the erp masters) and the resources, spread 3:2 over the entities. */
export function generateResources(ctx: GenContext): void {
  const rng = ctx.rng('resources');
  for (const c of ctx.customers) {
    if (!c.master) continue;
    ctx.tables['psa.customer_refs'].push({
      customer_id: c.row.id,
      name: c.row.name,
      legal_entity_id: c.legalEntityId,
      currency: c.currency,
      payment_terms_days: c.master.paymentTermsDays,
      updated_at: at(c.createdDay + 1, 10 * 60 + 5),
    });
  }
  const entities = Object.keys(ctx.mapping.legalEntities);
  const primary = entities.includes('LE-US') ? 'LE-US' : entities[0]!;
  const others = entities.filter((e) => e !== primary);
  const n = Math.max(10, Math.round(40 * ctx.scale));
  const names = new Set<string>();
  for (let i = 0; i < n; i++) {
    const role = ROLE_PATTERN[i % ROLE_PATTERN.length]!;
    const legalEntityId = i % 5 < 3 || others.length === 0 ? primary : others[i % others.length]!;
    const currency = entityOf(ctx.mapping, legalEntityId).functionalCurrency;
    let name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    for (let k = 2; names.has(name); k++) name = `${name.replace(/ \d+$/, '')} ${k}`;
    names.add(name);
    const id = seqId('res', i + 1, 4);
    const info: ResourceInfo = {
      index: i,
      role,
      legalEntityId,
      currency,
      costRateMinor: wholeUnits(COST_RATES[role] * (0.9 + rng.next() * 0.2)),
      row: {
        id,
        name,
        email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@ledgerline.example`,
        role,
        cost_rate_minor: 0,
        cost_currency: currency,
        legal_entity_id: legalEntityId,
        capacity_minutes_per_week: 40 * 60,
        active: true,
        created_at: at(ctx.asOfDay - rng.int(400, 1500), 8 * 60),
      },
    };
    info.row.cost_rate_minor = info.costRateMinor;
    ctx.resources.push(info);
    ctx.tables['psa.resources'].push(info.row);
    ctx.tables['time.resources'].push({ id, name, active: true });
  }
}

/**
 * One project and contract per won deal, with tasks, a team from the project's legal entity (least
 * busy people first) and assignments. Caps of capped T&M contracts are set after the time is known.
 */
export function generateProjects(ctx: GenContext): void {
  const rng = ctx.rng('projects');
  const taskIds = new IdSequence('tsk', 5);
  const asgIds = new IdSequence('asg', 5);
  // Busy days per resource, to staff the least loaded people.
  const load = new Map<string, { from: number; to: number }[]>();
  ctx.deals.forEach((deal, i) => {
    const id = seqId('prj', i + 1, 4);
    const le = deal.customer.legalEntityId;
    const currency = deal.customer.currency;
    const rateCard = ctx.rateCards.get(currency);
    if (!rateCard) throw new Error(`seed: no rate card in ${currency}`);
    const status = deal.closed ? ('CLOSED' as const) : ('ACTIVE' as const);
    const rounding = rng.weighted([
      [{ increment: 15, mode: 'UP' }, 75],
      [{ increment: 30, mode: 'UP' }, 10],
      [{ increment: 6, mode: 'NEAREST' }, 10],
      [{ increment: 60, mode: 'NEAREST' }, 5],
    ] as [{ increment: number; mode: RoundingMode }, number][]);
    const budgetMinutes = deal.workstreams.reduce((s, w) => s + w.minutes, 0);
    const created = at(deal.wonDay, 15 * 60 + rng.int(0, 120));
    const row: ProjectRow = {
      id,
      code: `PRJ-${String(i + 1).padStart(4, '0')}`,
      name: deal.opportunity.name,
      customer_id: deal.customer.row.id,
      opportunity_id: deal.opportunity.id,
      legal_entity_id: le,
      currency,
      billable: true,
      start_date: dayStr(deal.startDay),
      end_date: dayStr(deal.endDay),
      status,
      budget_minutes: budgetMinutes,
      budget_fee_minor: deal.opportunity.amount_minor,
      service_line: deal.serviceLine,
      rate_card_id: rateCard.id,
      created_at: created,
      updated_at: deal.closed ? at(deal.endDay + 3, 12 * 60) : created,
    };
    const contract: ContractRow = {
      id: seqId('ctr', i + 1, 4),
      project_id: id,
      customer_id: row.customer_id,
      billing_model: deal.billingModel,
      currency,
      cap_minor: null,
      fixed_fee_minor: deal.fixedFeeMinor,
      rounding_increment_minutes: rounding.increment,
      rounding_mode: rounding.mode,
      start_date: row.start_date,
      end_date: row.end_date,
      status,
      created_at: created,
    };
    ctx.tables['psa.projects'].push(row);
    ctx.tables['psa.contracts'].push(contract);
    ctx.tables['time.projects'].push({
      id,
      customer_id: row.customer_id,
      name: row.name,
      status: deal.closed ? 'CLOSED' : 'ACTIVE',
      billable: true,
      start_date: row.start_date,
      end_date: row.end_date,
    });

    const names = rng.sample(TASK_NAMES[deal.serviceLine] ?? ['Delivery', 'Workshops', 'Reporting'], rng.int(2, 3));
    const billableTaskIds = names.map((name) => {
      const tid = taskIds.next();
      ctx.tables['psa.tasks'].push({ id: tid, project_id: id, name, billable: true });
      return tid;
    });
    let nonBillableTaskId: string | null = null;
    if (rng.chance(0.75)) {
      nonBillableTaskId = taskIds.next();
      ctx.tables['psa.tasks'].push({ id: nonBillableTaskId, project_id: id, name: 'Internal coordination', billable: false });
    }

    // Staffing: a lead (manager or partner) and 1-4 more, the least busy over the project's window.
    const lastWorkDay = Math.min(deal.endDay, ctx.asOfDay - 1);
    const pool = ctx.resources.filter((r) => r.legalEntityId === le);
    const size = Math.min(pool.length, deal.serviceLine === 'MANAGED_SERVICES' ? rng.int(2, 3) : rng.int(2, 5));
    const busy = (r: ResourceInfo) =>
      (load.get(r.row.id) ?? []).reduce((s, w) => s + Math.max(0, Math.min(w.to, lastWorkDay) - Math.max(w.from, deal.startDay)), 0) +
      rng.next() * 10;
    const chosen: ResourceInfo[] = [];
    const pickFrom = (candidates: ResourceInfo[]) => {
      const scored = candidates.filter((r) => !chosen.includes(r)).map((r) => [r, busy(r)] as const);
      scored.sort((a, b) => a[1] - b[1]);
      return scored[0]?.[0];
    };
    const lead = pickFrom(pool.filter((r) => r.role === 'MANAGER' || r.role === 'PARTNER')) ?? pickFrom(pool);
    if (lead) chosen.push(lead);
    while (chosen.length < size) {
      const wanted = deal.workstreams[chosen.length % deal.workstreams.length]?.role;
      const r = pickFrom(pool.filter((p) => p.role === wanted)) ?? pickFrom(pool);
      if (!r) break;
      chosen.push(r);
    }
    const finalTeam: TeamMember[] = chosen.map((r) => ({ resource: r, role: r.role, startDay: deal.startDay, endDay: lastWorkDay }));
    for (const t of finalTeam) {
      // Some join a little later than the start.
      if (t !== finalTeam[0] && rng.chance(0.3)) t.startDay = Math.min(lastWorkDay, t.startDay + rng.int(5, 40));
      const ws = deal.workstreams.filter((w) => w.role === t.role);
      const sameRole = finalTeam.filter((x) => x.role === t.role).length;
      ctx.tables['psa.assignments'].push({
        id: asgIds.next(),
        project_id: id,
        resource_id: t.resource.row.id,
        role: t.role,
        start_date: dayStr(t.startDay),
        end_date: row.end_date,
        planned_minutes: ws.length ? Math.round(ws.reduce((s, w) => s + w.minutes, 0) / sameRole / 15) * 15 : 80 * 60,
      });
      const l = load.get(t.resource.row.id) ?? [];
      l.push({ from: t.startDay, to: lastWorkDay });
      load.set(t.resource.row.id, l);
    }

    const info: ProjectInfo = {
      row,
      contract,
      customer: deal.customer,
      opportunityId: deal.opportunity.id,
      billingModel: deal.billingModel,
      serviceLine: deal.serviceLine,
      legalEntityId: le,
      currency,
      startDay: deal.startDay,
      endDay: lastWorkDay,
      closed: deal.closed,
      wonDay: deal.wonDay,
      rateCardId: rateCard.id,
      rounding,
      billableTaskIds,
      nonBillableTaskId,
      team: finalTeam,
      fixedFeeMinor: deal.fixedFeeMinor,
      milestones: deal.milestones,
    };
    ctx.projects.push(info);
  });
  generateOverrides(ctx);
}

/** A few rate overrides of each scope on T&M projects, a little off the card so they show. */
function generateOverrides(ctx: GenContext): void {
  const rng = ctx.rng('overrides');
  const ids = new IdSequence('ovr', 4);
  const tm = ctx.projects.filter((p) => p.billingModel === 'TIME_AND_MATERIALS' && p.team.length > 0);
  if (tm.length === 0) return;
  const n = Math.max(2, Math.round(3 * ctx.scale));
  for (const p of rng.sample(tm, n)) {
    const m = rng.pick(p.team);
    ctx.tables['psa.rate_overrides'].push({
      id: ids.next(),
      scope: 'PROJECT_RESOURCE',
      project_id: p.row.id,
      customer_id: null,
      resource_id: m.resource.row.id,
      role: null,
      rate_minor: wholeUnits(cardRate(ctx, p.currency, m.role, p.startDay) * 0.9),
      currency: p.currency,
      effective_from: p.row.start_date,
    });
  }
  for (const p of rng.sample(tm, n)) {
    const m = rng.pick(p.team);
    // Negotiated mid-project: time before the date keeps the card rate.
    const from = p.startDay + Math.floor((p.endDay - p.startDay) / 2);
    ctx.tables['psa.rate_overrides'].push({
      id: ids.next(),
      scope: 'PROJECT_ROLE',
      project_id: p.row.id,
      customer_id: null,
      resource_id: null,
      role: m.role,
      rate_minor: wholeUnits(cardRate(ctx, p.currency, m.role, from) * 1.1),
      currency: p.currency,
      effective_from: dayStr(from),
    });
  }
  const customers = [...new Set(tm.map((p) => p.customer))];
  for (const c of rng.sample(customers, n)) {
    const role = rng.pick(ROLES);
    ctx.tables['psa.rate_overrides'].push({
      id: ids.next(),
      scope: 'CUSTOMER_ROLE',
      project_id: null,
      customer_id: c.row.id,
      resource_id: null,
      role,
      rate_minor: wholeUnits(cardRate(ctx, c.currency, role, ctx.firstPeriodDay) * 0.95),
      currency: c.currency,
      effective_from: dayStr(ctx.firstPeriodDay),
    });
  }
}
