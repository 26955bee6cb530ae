import { at, dayStr, mondayOf } from '../dates.ts';
import { APPROVERS, ENTRY_NOTES, REJECTION_REASONS } from '../names.ts';
import type { TimeEntryRow, TimesheetStatus } from '../types.ts';
import type { GenContext, ProjectInfo, TeamMember } from './context.ts';
import { cardRate, wholeUnits } from './rates.ts';

export const WEEKS = 52;

/**
 * Weekly timesheets of every resource for the 52 weeks before "as of", and their entries: on each
 * weekday a resource works 6-9 hours in quarter hours, in 1-3 entries, on the projects it is assigned
 * to that day (bench days have none; two weeks of leave a year). Weeks older than three are APPROVED,
 * the last three SUBMITTED or DRAFT, and a couple REJECTED with a reason. Billing status is settled
 * by the billing generator.
 */
export function generateTime(ctx: GenContext): void {
  const rng = ctx.rng('time');
  const thisMonday = mondayOf(ctx.asOfDay);
  const membership = new Map<string, { project: ProjectInfo; member: TeamMember }[]>();
  for (const p of ctx.projects) {
    for (const m of p.team) {
      const list = membership.get(m.resource.row.id) ?? [];
      list.push({ project: p, member: m });
      membership.set(m.resource.row.id, list);
    }
  }
  const nRejected = Math.min(ctx.resources.length, Math.max(2, Math.round(2 * ctx.scale)));
  const rejected = new Set(rng.sample(ctx.resources, nRejected).map((r) => r.row.id));
  const eveningOf = new Map<number, string>();
  const evening = (d: number) => {
    let s = eveningOf.get(d);
    if (s === undefined) {
      s = at(d, 18 * 60);
      eveningOf.set(d, s);
    }
    return s;
  };
  let seq = 0;
  const width = 6;

  for (const res of ctx.resources) {
    const rid = res.row.id;
    const memberships = membership.get(rid) ?? [];
    const leave = new Set([rng.int(1, WEEKS), rng.int(1, WEEKS)]);
    for (let k = WEEKS; k >= 1; k--) {
      const weekStart = thisMonday - 7 * k;
      let status: TimesheetStatus;
      if (k >= 4) status = 'APPROVED';
      else if (k === 2 && rejected.has(rid)) status = 'REJECTED';
      else if (k === 1) status = rng.chance(0.6) ? 'DRAFT' : 'SUBMITTED';
      else status = 'SUBMITTED';
      const tsId = `ts_${rid.slice(4)}_${dayStr(weekStart).replaceAll('-', '')}`;
      const submitted = status === 'DRAFT' ? null : at(weekStart + 4, 16 * 60 + rng.int(0, 180));
      const decided = status === 'APPROVED' || status === 'REJECTED' ? at(weekStart + 7 + rng.int(0, 2), 9 * 60 + rng.int(0, 420)) : null;
      ctx.tables['time.timesheets'].push({
        id: tsId,
        resource_id: rid,
        week_start: dayStr(weekStart),
        status,
        submitted_at: submitted,
        decided_at: decided,
        decided_by: decided ? rng.pick(APPROVERS) : null,
        rejection_reason: status === 'REJECTED' ? rng.pick(REJECTION_REASONS) : null,
        created_at: at(weekStart, 8 * 60),
      });
      if (leave.has(k)) continue;
      for (let d = weekStart; d < weekStart + 5 && d < ctx.asOfDay; d++) {
        if (rng.chance(0.03)) continue; // a day off
        const active = memberships.filter((m) => m.member.startDay <= d && d <= m.member.endDay);
        if (active.length === 0) continue;
        const quarters = rng.int(24, 36);
        const want = rng.weighted([
          [1, 25],
          [2, 40],
          [3, 35],
        ] as [number, number][]);
        const slots: { m: (typeof active)[number]; task: string | null; billable: boolean }[] = [];
        for (let s = 0; s < want; s++) {
          const m = rng.pick(active);
          const nb = m.project.nonBillableTaskId !== null && rng.chance(0.08);
          const task = nb ? m.project.nonBillableTaskId : rng.pick(m.project.billableTaskIds);
          if (!slots.some((x) => x.m === m && x.task === task)) slots.push({ m, task, billable: !nb });
        }
        const parts = split(quarters, slots.length, () => rng.next());
        slots.forEach((slot, s) => {
          const p = slot.m.project;
          seq++;
          const billable = slot.billable && p.row.billable;
          const override =
            billable && p.billingModel === 'TIME_AND_MATERIALS' && rng.chance(0.002)
              ? wholeUnits(cardRate(ctx, p.currency, slot.m.member.role, d) * 0.8)
              : null;
          const row: TimeEntryRow = {
            id: `te_${String(seq).padStart(width, '0')}`,
            timesheet_id: tsId,
            resource_id: rid,
            project_id: p.row.id,
            customer_id: p.row.customer_id,
            task_id: slot.task,
            work_date: dayStr(d),
            minutes: parts[s]! * 15,
            billable,
            notes: override ? 'Agreed discounted rate for this session' : rng.pick(ENTRY_NOTES),
            status,
            billing_status: 'UNBILLED',
            rate_override_minor: override,
            external_ref: res.index % 7 === 3 ? `HRV-${String(seq).padStart(8, '0')}` : null,
            created_at: evening(d),
            updated_at: evening(d),
          };
          ctx.tables['time.time_entries'].push(row);
          ctx.entries.push({ row, day: d, project: p, resource: res, role: slot.m.member.role });
        });
      }
    }
  }
}

/** Splits `total` quarter hours into `n` parts of at least two quarters each. */
function split(total: number, n: number, rnd: () => number): number[] {
  if (n <= 1) return [total];
  const parts: number[] = [];
  let left = total;
  for (let i = 0; i < n - 1; i++) {
    const max = left - 2 * (n - 1 - i);
    const v = 2 + Math.floor(rnd() * (max - 2 + 1));
    parts.push(v);
    left -= v;
  }
  parts.push(left);
  return parts;
}
