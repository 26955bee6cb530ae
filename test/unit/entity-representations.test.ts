import { describe, expect, it } from 'vitest';
import { withDistinctRepresentations } from '../../gateway/entity-representations.ts';

const rep = (id: string) => ({ __typename: 'Project', id });

describe('entity fetches with distinct representations', () => {
  it('sends each distinct representation once and answers every position in order, each with its own copy', async () => {
    const sent: unknown[] = [];
    const res = await withDistinctRepresentations({ representations: [rep('a'), rep('b'), rep('a'), rep('a')], first: 3 }, async (v) => {
      sent.push(v);
      return {
        data: {
          _entities: (v!.representations as { id: string }[]).map((r) => ({ code: r.id.toUpperCase(), opportunity: { id: `o-${r.id}` } })),
        },
      };
    });
    expect(sent).toEqual([{ representations: [rep('a'), rep('b')], first: 3 }]);
    const entities = res.data!._entities as { code: string; opportunity: { id: string } }[];
    expect(entities.map((e) => e.code)).toEqual(['A', 'B', 'A', 'A']);
    // The gateway merges later fetches into these objects in place: no two positions share one.
    expect(entities[2]).not.toBe(entities[0]);
    expect(entities[3].opportunity).not.toBe(entities[2].opportunity);
    expect(entities[3]).toEqual(entities[0]);
  });

  it('repeats an error at a distinct representation for every position that shares it, and keeps other errors', async () => {
    const res = await withDistinctRepresentations({ representations: [rep('a'), rep('b'), rep('a')] }, async () => ({
      data: { _entities: [null, { code: 'B' }] },
      errors: [{ message: 'not yours', path: ['_entities', 0, 'code'] }, { message: 'elsewhere' }],
    }));
    expect(res.data!._entities).toEqual([null, { code: 'B' }, null]);
    expect(res.errors).toEqual([
      { message: 'not yours', path: ['_entities', 0, 'code'] },
      { message: 'not yours', path: ['_entities', 2, 'code'] },
      { message: 'elsewhere' },
    ]);
  });

  it('leaves fetches without duplicates, root fetches and answers of an unexpected shape untouched', async () => {
    const vars = { representations: [rep('a'), rep('b')] };
    const seen: unknown[] = [];
    const echo = async (v: Record<string, unknown> | undefined) => {
      seen.push(v);
      return { data: { ok: true } };
    };
    await withDistinctRepresentations(vars, echo);
    await withDistinctRepresentations({ id: 'x' }, echo);
    expect(seen[0]).toBe(vars);
    expect(seen[1]).toEqual({ id: 'x' });
    const short = { data: { _entities: [] }, errors: [{ message: 'boom' }] };
    expect(await withDistinctRepresentations({ representations: [rep('a'), rep('a')] }, async () => short)).toBe(short);
  });
});
