import { describe, expect, it } from 'vitest';
import { type Git, resolveSchemaBase } from '../../gateway/schema-base.ts';

/** A repository as git would answer for it: the revisions that resolve and the merge bases. */
function repo(opts: { head?: string; refs: Record<string, string>; mergeBase?: string; withSupergraph?: string[] }): Git {
  return (args) => {
    const [cmd, ...rest] = args;
    if (cmd === 'rev-parse' && rest[0] === 'HEAD') return opts.head;
    if (cmd === 'rev-parse') return opts.refs[rest.at(-1)!.replace(/\^\{commit\}$/, '')];
    if (cmd === 'merge-base') return opts.mergeBase;
    if (cmd === 'cat-file')
      return (opts.withSupergraph ?? Object.values(opts.refs)).some((r) => rest[1] === `${r}:supergraph.graphql`) ? '' : undefined;
    return undefined;
  };
}

describe('schema check base', () => {
  it('a branch is compared with its merge base with main', () => {
    const git = repo({ head: 'b2', refs: { 'origin/main': 'm5' }, mergeBase: 'm3', withSupergraph: ['m3'] });
    expect(resolveSchemaBase({}, git)).toEqual({ kind: 'ref', ref: 'm3', why: 'merge base with origin/main' });
  });

  it('main itself is compared with its parent commit', () => {
    const git = repo({ head: 'm5', refs: { main: 'm5', 'HEAD~1': 'm4' }, mergeBase: 'm5' });
    expect(resolveSchemaBase({}, git)).toMatchObject({ kind: 'ref', ref: 'm4' });
  });

  it('fails, naming what to do, when the base cannot be found (a shallow clone)', () => {
    const git = repo({ head: 'm5', refs: { main: 'm5' }, mergeBase: 'm5' });
    const base = resolveSchemaBase({}, git);
    expect(base.kind).toBe('missing');
    expect(base.why).toMatch(/SCHEMA_BASE_REF.*SCHEMA_CHECK_SKIP=1/);
  });

  it('fails when there is no base branch, and when SCHEMA_BASE_REF names nothing', () => {
    expect(resolveSchemaBase({}, repo({ head: 'b1', refs: {} })).kind).toBe('missing');
    expect(resolveSchemaBase({ SCHEMA_BASE_REF: 'v9' }, repo({ head: 'b1', refs: {} })).kind).toBe('missing');
  });

  it('skips only when told to', () => {
    expect(resolveSchemaBase({ SCHEMA_CHECK_SKIP: '1' }, repo({ refs: {} }))).toEqual({ kind: 'skip', why: 'SCHEMA_CHECK_SKIP=1' });
  });
});
