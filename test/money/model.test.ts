import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../sync/helpers.ts';
import { commandArbitraries, type Universe } from './model/commands.ts';
import { checkInvariants } from './model/invariants.ts';
import { type MoneyWorld, startMoneyWorld } from './world.ts';

// Model-based test of money's edges (docs/money.md): random sequences of booking, billing, payments
// (part, full, over, backdated), credits, write-offs, refunds, period closes and reopens, FX rate
// changes, replays and the same trigger twice at once, across both legal entities and a home and a
// foreign currency in each, driven through the gateway with the sync engine running. After every
// step the books' invariants must hold (model/invariants.ts). `npm test` runs a fixed number of
// sequences; MODEL_RUNS=500 runs more, MODEL_SEED=<n> replays one. A failure prints its seed and the
// shrunk sequence of commands (MODEL_SHRINK=0: the first failing sequence as it is).
const RUNS = Number(process.env.MODEL_RUNS ?? 25);
const SEED = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined;
const MAX_COMMANDS = Number(process.env.MODEL_COMMANDS ?? 15);

let w: MoneyWorld;
let u: Universe;
let since: Date;

beforeAll(async () => {
  w = await startMoneyWorld();
  const customers = [
    await w.customer({ legalEntityId: 'LE-US', currency: 'USD', taxCode: 'US-NY' }),
    await w.customer({ legalEntityId: 'LE-US', currency: 'EUR', taxCode: 'US-EXEMPT' }),
    await w.customer({ legalEntityId: 'LE-DE', currency: 'EUR', taxCode: 'DE-VAT19' }),
    await w.customer({ legalEntityId: 'LE-DE', currency: 'USD', taxCode: 'EU-REVERSE' }),
  ];
  const les = ['LE-US', 'LE-US', 'LE-DE', 'LE-DE'];
  const currencies = ['USD', 'EUR', 'EUR', 'USD'];
  const rates = ['97.50', '123.45', '88.88', '150.00'];
  const projects: Universe['projects'] = [];
  for (const round of [0, 1]) {
    for (const [i, customerId] of customers.entries()) {
      const p = await w.project({ customerId, currency: currencies[i]!, rate: rates[(i + round) % 4]! });
      projects.push({ ...p, customerId, le: les[i]!, currency: currencies[i]! });
    }
  }
  u = { w, day: '2026-12-07', projects, customers, closed: new Map(), seq: 0 };
  since = (await w.sql(`select now() as t`))[0].t;
}, 180_000);
afterAll(async () => w?.stop());

describe('money model', () => {
  it(
    `random operation sequences keep the books right after every step (${RUNS} runs, up to ${MAX_COMMANDS} commands)`,
    async () => {
      // Only what a sequence breaks counts: a sequence that broke the books earlier leaves its rows
      // behind in the shared database, and the shrinking that follows must not blame every later one.
      const key = (v: Record<string, unknown[]>) =>
        new Set(Object.entries(v).flatMap(([k, rows]) => rows.map((r) => `${k}:${JSON.stringify(r)}`)));
      let baseline = new Set<string>();
      const violationsAfter = async (step: string) => {
        const v = key(await checkInvariants(w, u.customers, u.closed, since));
        const fresh = [...v].filter((x) => !baseline.has(x));
        if (fresh.length) throw new Error(`invariants broken after ${step}:\n${fresh.join('\n')}`);
      };
      await violationsAfter('setup');
      await fc.assert(
        fc.asyncProperty(fc.commands(commandArbitraries, { maxCommands: MAX_COMMANDS }), async (cmds) => {
          baseline = key(await checkInvariants(w, u.customers, u.closed, since));
          if (process.env.MODEL_LOG) console.log(`sequence: ${[...cmds].map((c) => c.toString()).join(', ')}`);
          // Each command is checked on its own: the step that breaks an invariant is the one named.
          const checked = [...cmds].map((c) => ({
            check: () => true,
            run: async (m: Record<string, never>, real: Universe) => {
              await c.run(m, real);
              await violationsAfter(c.toString());
            },
            toString: () => c.toString(),
          }));
          await fc.asyncModelRun(() => ({ model: {} as Record<string, never>, real: u }), checked);
        }),
        {
          numRuns: RUNS,
          seed: SEED,
          verbose: 1,
          // Shrinking replays sequences against the live system: bounded, and off with MODEL_SHRINK=0.
          endOnFailure: process.env.MODEL_SHRINK === '0',
          interruptAfterTimeLimit: Number(process.env.MODEL_TIME_LIMIT_MS ?? 15 * 60_000),
          markInterruptAsFailure: false,
        },
      );
      // The sequences did reach money's edges: there is something behind the invariants.
      const [reached] = await w.sql(
        `select count(*) filter (where source_type = 'INVOICE')::int invoices, count(*) filter (where source_type = 'PAYMENT')::int payments,
                count(*) filter (where source_type = 'CREDIT_MEMO')::int credits, count(*) filter (where source_type = 'REFUND')::int refunds,
                count(*) filter (where source_type = 'WRITE_OFF')::int write_offs, count(*) filter (where currency <> functional_currency)::int foreign
           from erp.journal_entries e where exists (select 1 from erp.journal_lines l where l.journal_entry_id = e.id and l.customer_id = any($1))`,
        [u.customers],
      );
      console.log(`money model: ${RUNS} runs reached ${JSON.stringify(reached)}`);
      expect(reached.invoices).toBeGreaterThan(0);
      expect(ok<any>(await w.g.request(`{ legalEntities { id } }`)).legalEntities.length).toBe(2);
    },
    Math.max(120_000, RUNS * MAX_COMMANDS * 8_000),
  );
});
