export type Money = { amount: string; currency: string };

export const fmtMoney = (m: Money | null | undefined) =>
  m ? `${Number(m.amount).toLocaleString('en-US', { minimumFractionDigits: 2 })} ${m.currency}` : '-';

export const fmtTime = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) : '-');

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export const fmtNum = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits });

export const fmtPct = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '-' : `${(n * 100).toFixed(digits)}%`);

export const humanize = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, ' ');
