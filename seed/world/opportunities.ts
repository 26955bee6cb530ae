import { amountForMinutes } from '../../lib/money.ts';
import { at, dayStr, isWeekday } from '../dates.ts';
import { IdSequence } from '../ids.ts';
import { DEAL_TOPICS } from '../names.ts';
import type { Rng } from '../rng.ts';
import type { BillingModel, OpportunityRow, OpportunityStage } from '../types.ts';
import type { CustomerInfo, GenContext, WonDeal } from './context.ts';
import { cardRate, ROLES } from './rates.ts';

const OPEN_STAGES: OpportunityStage[] = ['PROSPECTING', 'QUALIFICATION', 'PROPOSAL', 'NEGOTIATION'];
const MODEL_WEIGHTS: [BillingModel, number][] = [
  ['TIME_AND_MATERIALS', 60],
  ['FIXED_FEE', 20],
  ['MILESTONES', 20],
];

type Ids = { opp: IdSequence; ws: IdSequence; ms: IdSequence };
type DealSpec = {
  customer: CustomerInfo;
  stage: OpportunityStage;
  model: BillingModel;
  /** The day the price was set: won day for won deals, today-ish for open ones. */
  pricedDay: number;
  closeDay: number;
  createdDay: number;
  /** For MILESTONES: the window the milestones fall in. */
  deliveryFrom: number;
  deliveryTo: number;
  lostAfter?: OpportunityStage;
};

/**
 * Opportunities across every stage. Won ones become `ctx.deals` (one project each). Besides the random
 * pipeline: a few NEGOTIATION deals of customers with a complete master, ready to be won in the demo;
 * one of the customer without a tax code; one per customer without a financial master.
 */
export function generateOpportunities(ctx: GenContext): void {
  const rng = ctx.rng('opportunities');
  const ids: Ids = { opp: new IdSequence('opp', 4), ws: new IdSequence('ws', 5), ms: new IdSequence('om', 5) };
  const complete = ctx.customers.filter((c) => c.master?.taxCode);
  const asOf = ctx.asOfDay;
  const nWon = Math.max(6, Math.round(40 * ctx.scale));
  const nClosed = Math.max(2, Math.round(2.5 * ctx.scale));
  const nLost = Math.max(3, Math.round(15 * ctx.scale));
  const nOpen = Math.max(8, Math.round(58 * ctx.scale));

  // Won deals first, so opp_0001.. are the projects' deals; customers in rotation so most get one.
  let order = rng.shuffle(complete);
  const forced: BillingModel[] = ['TIME_AND_MATERIALS', 'FIXED_FEE', 'MILESTONES'];
  for (let i = 0; i < nWon; i++) {
    if (i > 0 && i % order.length === 0) order = rng.shuffle(complete);
    const customer = order[i % order.length]!;
    const closed = i < nClosed;
    // The closed projects: a T&M one, a fixed-fee one (so its final instalment is invoiced), then any.
    const model = closed
      ? i === 0
        ? 'TIME_AND_MATERIALS'
        : i === 1
          ? 'FIXED_FEE'
          : rng.weighted(MODEL_WEIGHTS)
      : (forced[i - nClosed] ?? rng.weighted(MODEL_WEIGHTS));
    let startDay: number;
    let endDay: number;
    if (closed) {
      startDay = asOf - rng.int(330, 364);
      endDay = asOf - rng.int(75, 120);
    } else {
      // A quarter are long-running engagements from the first weeks; the rest skew older, so the
      // whole year has work to book.
      startDay = i < nClosed + Math.round(nWon / 4) ? asOf - rng.int(330, 364) : asOf - Math.max(rng.int(21, 364), rng.int(21, 364));
      endDay = startDay + rng.int(120, 420);
      if (endDay <= asOf + 14) endDay = asOf + rng.int(30, 180);
    }
    while (!isWeekday(startDay)) startDay++;
    const wonDay = startDay - rng.int(3, 20);
    const deal = addOpportunity(ctx, rng, ids, {
      customer,
      stage: 'CLOSED_WON',
      model,
      pricedDay: wonDay,
      closeDay: wonDay,
      createdDay: wonDay - rng.int(30, 120),
      deliveryFrom: startDay,
      deliveryTo: endDay,
    });
    ctx.deals.push({ ...deal, wonDay, startDay, endDay, closed });
  }

  for (let i = 0; i < nLost; i++) {
    const closeDay = asOf - rng.int(10, 330);
    addOpportunity(ctx, rng, ids, {
      customer: rng.pick(complete),
      stage: 'CLOSED_LOST',
      model: rng.weighted(MODEL_WEIGHTS),
      pricedDay: closeDay,
      closeDay,
      createdDay: closeDay - rng.int(30, 120),
      deliveryFrom: closeDay + 20,
      deliveryTo: closeDay + 200,
      lostAfter: rng.pick(OPEN_STAGES.slice(1)),
    });
  }

  for (let i = 0; i < nOpen; i++) {
    const stage = rng.weighted([
      ['PROSPECTING', 25],
      ['QUALIFICATION', 25],
      ['PROPOSAL', 30],
      ['NEGOTIATION', 20],
    ] as [OpportunityStage, number][]);
    openDeal(ctx, rng, ids, rng.pick(complete), stage, rng.weighted(MODEL_WEIGHTS));
  }

  // The demo's deliberate cases.
  const ready = rng.sample(
    complete.filter((c) => !c.row.parent_id),
    3,
  );
  ctx.highlights.opportunitiesReadyToWin = ready.map((c, k) => openDeal(ctx, rng, ids, c, 'NEGOTIATION', forced[k]!).id);
  const noTax = ctx.customers.find((c) => c.row.id === ctx.highlights.customerWithoutTaxCode)!;
  ctx.highlights.opportunityWithoutTaxCode = openDeal(ctx, rng, ids, noTax, 'NEGOTIATION', 'TIME_AND_MATERIALS').id;
  ctx.highlights.opportunitiesWithoutMaster = ctx.highlights.customersWithoutMaster.map(
    (id) => openDeal(ctx, rng, ids, ctx.customers.find((c) => c.row.id === id)!, 'NEGOTIATION', 'TIME_AND_MATERIALS').id,
  );
}

function openDeal(
  ctx: GenContext,
  rng: Rng,
  ids: Ids,
  customer: CustomerInfo,
  stage: OpportunityStage,
  model: BillingModel,
): OpportunityRow {
  const closeDay = ctx.asOfDay + rng.int(10, 150);
  const createdDay = Math.max(customer.createdDay, ctx.asOfDay - rng.int(5, 150));
  return addOpportunity(ctx, rng, ids, {
    customer,
    stage,
    model,
    pricedDay: ctx.asOfDay,
    closeDay,
    createdDay,
    deliveryFrom: closeDay + 14,
    deliveryTo: closeDay + rng.int(120, 300),
  }).opportunity;
}

type DealCore = Pick<WonDeal, 'opportunity' | 'customer' | 'billingModel' | 'serviceLine' | 'workstreams' | 'fixedFeeMinor' | 'milestones'>;

function addOpportunity(ctx: GenContext, rng: Rng, ids: Ids, spec: DealSpec): DealCore {
  const { customer, stage, model } = spec;
  const serviceLines = Object.keys(ctx.mapping.serviceLines);
  const serviceLine = rng.weighted(serviceLines.map((s) => [s, s === 'ENGINEERING' ? 45 : s === 'ADVISORY' ? 35 : 20] as [string, number]));
  const id = ids.opp.next();
  const topic = rng.pick(DEAL_TOPICS[serviceLine] ?? ['Consulting engagement']);
  const shortName = customer.row.name.replace(/ Group$/, '');
  const name = `${shortName} ${topic}${rng.chance(0.2) ? ' - phase 2' : ''}`;

  const roles = rng.sample(ROLES, rng.int(1, 3)).sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
  const workstreams = roles.map((role) => ({
    role,
    minutes: rng.int(5, 80) * 8 * 60,
    rateMinor: cardRate(ctx, customer.currency, role, spec.pricedDay),
  }));
  for (const w of workstreams) {
    ctx.tables['crm.workstreams'].push({
      id: ids.ws.next(),
      opportunity_id: id,
      role: w.role,
      minutes: w.minutes,
      rate_minor: w.rateMinor,
      description: `${w.role.replaceAll('_', ' ').toLowerCase()} effort`,
    });
  }
  const tm = workstreams.reduce((s, w) => s + amountForMinutes(w.rateMinor, w.minutes), 0);
  // Fixed prices are quoted in round thousands, a little under the T&M estimate.
  const rounded = Math.max(1000_00, Math.round((tm * 0.95) / 100_000) * 100_000);
  let amount = tm;
  let fixedFeeMinor: number | null = null;
  const milestones: DealCore['milestones'] = [];
  if (model === 'FIXED_FEE') {
    amount = rounded;
    fixedFeeMinor = rounded;
  } else if (model === 'MILESTONES') {
    amount = rounded;
    const count = rng.int(3, 4);
    const share = Math.floor(rounded / count / 100_00) * 100_00;
    const span = Math.max(30, spec.deliveryTo - spec.deliveryFrom);
    for (let k = 1; k <= count; k++) {
      const m = {
        id: ids.ms.next(),
        name:
          k === count
            ? 'Final acceptance'
            : `Milestone ${k}: ${['Blueprint signed off', 'Build complete', 'User acceptance', 'Go-live'][k - 1]}`,
        amountMinor: k === count ? rounded - share * (count - 1) : share,
        dueDay: spec.deliveryFrom + Math.round((span * k) / count),
      };
      milestones.push(m);
      ctx.tables['crm.opportunity_milestones'].push({
        id: m.id,
        opportunity_id: id,
        name: m.name,
        amount_minor: m.amountMinor,
        due_date: dayStr(m.dueDay),
      });
    }
  }

  // Stage history: the path up to the current stage, spread from creation to the close (or today).
  const path: OpportunityStage[] =
    stage === 'CLOSED_WON'
      ? [...OPEN_STAGES, 'CLOSED_WON']
      : stage === 'CLOSED_LOST'
        ? [...OPEN_STAGES.slice(0, OPEN_STAGES.indexOf(spec.lostAfter ?? 'QUALIFICATION') + 1), 'CLOSED_LOST']
        : OPEN_STAGES.slice(0, OPEN_STAGES.indexOf(stage) + 1);
  const endDay = stage === 'CLOSED_WON' || stage === 'CLOSED_LOST' ? spec.closeDay : Math.max(spec.createdDay, ctx.asOfDay - rng.int(1, 5));
  const span = Math.max(0, endDay - spec.createdDay);
  let lastTs = '';
  let prev = -Infinity;
  path.forEach((s, k) => {
    const day = spec.createdDay + Math.round((span * k) / Math.max(1, path.length - 1));
    // Minutes since the epoch, strictly increasing even when two changes fall on one day.
    let minute = day * 1440 + 8 * 60 + rng.int(0, 540);
    if (minute <= prev) minute = prev + 30;
    prev = minute;
    lastTs = at(0, minute);
    ctx.tables['crm.opportunity_stage_history'].push({ opportunity_id: id, stage: s, changed_at: lastTs, changed_by: customer.row.owner });
  });
  const opportunity: OpportunityRow = {
    id,
    customer_id: customer.row.id,
    name,
    stage,
    amount_minor: amount,
    currency: customer.currency,
    close_date: dayStr(spec.closeDay),
    billing_model: model,
    service_line: serviceLine,
    won_at: stage === 'CLOSED_WON' ? lastTs : null,
    created_at: ctx.tables['crm.opportunity_stage_history'][ctx.tables['crm.opportunity_stage_history'].length - path.length]!.changed_at,
    updated_at: lastTs,
  };
  ctx.tables['crm.opportunities'].push(opportunity);
  return { opportunity, customer, billingModel: model, serviceLine, workstreams, fixedFeeMinor, milestones };
}
