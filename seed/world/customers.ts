import { legalEntityForRegion } from '../../lib/mapping.ts';
import { at } from '../dates.ts';
import { IdSequence, seqId } from '../ids.ts';
import {
  COMPANY_KINDS,
  COMPANY_STEMS,
  CONTACT_TITLES,
  FIRST_NAMES,
  INDUSTRIES,
  LAST_NAMES,
  SALES_OWNERS,
  SUBSIDIARY_KINDS,
} from '../names.ts';
import type { Rng } from '../rng.ts';
import { type CustomerInfo, entityOf, type GenContext } from './context.ts';

const REGION_WEIGHTS: [string, number][] = [
  ['NA', 40],
  ['DACH', 25],
  ['EMEA', 20],
  ['LATAM', 15],
];

/** Tax codes an entity uses, most common first, by the entity's country. */
function taxCodesFor(ctx: GenContext, legalEntityId: string, region: string): [string, number][] {
  const country = entityOf(ctx.mapping, legalEntityId).country;
  const known = (c: string) => c in ctx.mapping.taxCodes;
  let choices: [string, number][];
  if (country === 'US')
    choices = [
      ['US-EXEMPT', 75],
      ['US-NY', 25],
    ];
  else if (country === 'DE')
    choices =
      region === 'EMEA'
        ? [
            ['EU-REVERSE', 55],
            ['DE-VAT19', 45],
          ]
        : [
            ['DE-VAT19', 85],
            ['EU-REVERSE', 15],
          ];
  else choices = [];
  choices = choices.filter(([c]) => known(c));
  return choices.length ? choices : [[Object.keys(ctx.mapping.taxCodes)[0]!, 1]];
}

/**
 * CRM customers (some in parent groups with 2-3 subsidiaries), their contacts, and the erp financial
 * masters. The last three customers are newcomers: two have no financial master and one has a master
 * without a tax code, so the demo can show both activation exceptions.
 */
export function generateCustomers(ctx: GenContext): void {
  const rng = ctx.rng('customers');
  const n = Math.max(12, Math.round(50 * ctx.scale));
  const groups = Math.max(1, Math.round(n / 10));
  const usedNames = new Set<string>();
  const stems = rng.shuffle(COMPANY_STEMS);
  let stemIdx = 0;
  const nextStem = () => {
    const s = stems[stemIdx % stems.length]!;
    const round = Math.floor(stemIdx / stems.length);
    stemIdx++;
    return round === 0 ? s : `${s} ${roman(round + 1)}`;
  };
  const unique = (name: string) => {
    let candidate = name;
    for (let k = 2; usedNames.has(candidate); k++) candidate = `${name} ${k}`;
    usedNames.add(candidate);
    return candidate;
  };

  type Plan = { name: string; region: string; parentIdx: number | null; industry: string };
  const plans: Plan[] = [];
  const newcomers = 3;
  for (let g = 0; g < groups && plans.length < n - newcomers - 3; g++) {
    const stem = nextStem();
    const region = rng.weighted(REGION_WEIGHTS);
    const industry = rng.pick(INDUSTRIES);
    const parentIdx = plans.length;
    plans.push({ name: unique(`${stem} Group`), region, parentIdx: null, industry });
    const kids = rng.sample(SUBSIDIARY_KINDS, rng.int(2, 3));
    for (const k of kids) plans.push({ name: unique(`${stem} ${k}`), region, parentIdx, industry: rng.pick(INDUSTRIES) });
  }
  while (plans.length < n) {
    plans.push({
      name: unique(`${nextStem()} ${rng.pick(COMPANY_KINDS)}`),
      region: rng.weighted(REGION_WEIGHTS),
      parentIdx: null,
      industry: rng.pick(INDUSTRIES),
    });
  }

  const contacts = new IdSequence('con', 5);
  plans.forEach((p, i) => {
    const id = seqId('cus', i + 1, 4);
    const isNewcomer = i >= n - newcomers;
    const legalEntityId = legalEntityForRegion(ctx.mapping, p.region);
    if (!legalEntityId) throw new Error(`seed: region ${p.region} has no legal entity in the mapping`);
    const currency = entityOf(ctx.mapping, legalEntityId).functionalCurrency;
    const createdDay = isNewcomer ? ctx.asOfDay - rng.int(5, 20) : ctx.asOfDay - rng.int(420, 1100);
    const withoutMaster = i >= n - 2;
    const withoutTax = i === n - 3;
    const master = withoutMaster
      ? null
      : {
          taxCode: withoutTax ? null : rng.weighted(taxCodesFor(ctx, legalEntityId, p.region)),
          paymentTermsDays: rng.weighted([
            [30, 60],
            [45, 15],
            [60, 15],
            [14, 10],
          ] as [number, number][]),
        };
    const created = at(createdDay, 9 * 60 + rng.int(0, 480));
    const info: CustomerInfo = {
      row: {
        id,
        name: p.name,
        industry: p.industry,
        owner: rng.pick(SALES_OWNERS),
        region: p.region,
        parent_id: p.parentIdx === null ? null : seqId('cus', p.parentIdx + 1, 4),
        legal_entity_id: master ? legalEntityId : null,
        currency: master ? currency : null,
        created_at: created,
        updated_at: master ? at(createdDay + 1, 10 * 60) : created,
      },
      region: p.region,
      legalEntityId,
      currency,
      master,
      createdDay,
    };
    ctx.customers.push(info);
    ctx.tables['crm.customers'].push(info.row);
    if (master) {
      ctx.tables['erp.customer_masters'].push({
        customer_id: id,
        name: p.name,
        legal_entity_id: legalEntityId,
        currency,
        tax_code: master.taxCode,
        payment_terms_days: master.paymentTermsDays,
        credit_limit_minor: rng.int(5, 50) * 10_000 * 100,
        status: 'ACTIVE',
        updated_at: at(createdDay + 1, 10 * 60),
      });
    }
    for (let c = rng.int(1, 3); c > 0; c--) addContact(ctx, rng, contacts, info);
  });
  const last = ctx.customers.slice(-3);
  ctx.highlights.customerWithoutTaxCode = last[0]!.row.id;
  ctx.highlights.customersWithoutMaster = last.slice(1).map((c) => c.row.id);
}

function addContact(ctx: GenContext, rng: Rng, seq: IdSequence, c: CustomerInfo): void {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const domain = `${c.row.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
  ctx.tables['crm.contacts'].push({
    id: seq.next(),
    customer_id: c.row.id,
    name: `${first} ${last}`,
    email: `${first}.${last}@${domain}`.toLowerCase(),
    title: rng.pick(CONTACT_TITLES),
    created_at: at(c.createdDay, 11 * 60 + rng.int(0, 300)),
  });
}

function roman(n: number): string {
  const map: [number, string][] = [
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  for (const [v, s] of map)
    while (n >= v) {
      out += s;
      n -= v;
    }
  return out;
}
