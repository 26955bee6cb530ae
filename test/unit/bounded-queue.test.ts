import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../gateway/subscriptions/queue.ts';

describe('per-subscriber bounded queue', () => {
  it('delivers in order to a reader that keeps up', async () => {
    const q = new BoundedQueue<number>(
      3,
      () => -1,
      () => undefined,
    );
    q.push(1);
    q.push(2);
    expect(await q.next()).toEqual({ value: 1, done: false });
    expect(await q.next()).toEqual({ value: 2, done: false });
  });

  it('cuts off a slow reader past its limit: memory stays bounded, the last message says where to resume, the stream ends', async () => {
    let closed = 0;
    const q = new BoundedQueue<string>(
      2,
      () => 'resume from 41',
      () => closed++,
    );
    expect(q.push('a')).toBe(true);
    expect(q.push('b')).toBe(true);
    expect(q.push('c')).toBe(false);
    expect(q.size).toBe(1);
    expect(q.push('d')).toBe(false);
    expect(closed).toBe(1);
    expect(await q.next()).toEqual({ value: 'resume from 41', done: false });
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it('a waiting reader is woken by the next item or by the end', async () => {
    const q = new BoundedQueue<number>(
      1,
      () => -1,
      () => undefined,
    );
    const pending = q.next();
    q.push(7);
    expect(await pending).toEqual({ value: 7, done: false });
    const end = q.next();
    q.finish();
    expect(await end).toEqual({ value: undefined, done: true });
  });
});
