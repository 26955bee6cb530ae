import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date in YYYY-MM-DD form (rejects 2026-02-30). */
export function isIsoDate(v: unknown): v is string {
  if (typeof v !== 'string' || !DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

function parseDate(v: unknown): string {
  if (!isIsoDate(v))
    throw new GraphQLError(`Date must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(v)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  return v;
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date without time zone, as YYYY-MM-DD.',
  // Dates leave the subgraphs as PostgreSQL printed them (lib/db.ts keeps DATE as text), so output
  // checks the form only; the calendar check (a Date round trip per value) guards input. On list-heavy
  // reads (lineage: a date per time entry) it was a measurable share of a subgraph's CPU.
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' && DATE.test(v) ? v : parseDate(v)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseDateTime(v: unknown): Date {
  const d = typeof v === 'string' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime()))
    throw new GraphQLError(`DateTime must be an ISO 8601 timestamp, got ${JSON.stringify(v)}`, { extensions: { code: 'BAD_USER_INPUT' } });
  return d;
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant as an ISO 8601 timestamp in UTC.',
  serialize: (v) => (v instanceof Date ? v.toISOString() : parseDateTime(v).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

export const scalarResolvers = { Date: DateScalar, DateTime: DateTimeScalar };
