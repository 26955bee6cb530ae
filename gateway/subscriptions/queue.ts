/**
 * A bounded async queue per subscriber. A client that reads slower than events arrive must neither
 * hold up the others nor grow memory without bound: past `limit` pending items the queue overflows,
 * the subscriber gets a final message saying where to resume, and the subscription ends.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private done = false;

  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => T,
    private readonly onClose: () => void,
  ) {}

  /** Adds an item; false when the queue had to give up on this subscriber. */
  push(item: T): boolean {
    if (this.done) return false;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: item, done: false });
      return true;
    }
    if (this.items.length >= this.limit) {
      this.items.length = 0;
      this.items.push(this.onOverflow());
      this.finish();
      return false;
    }
    this.items.push(item);
    return true;
  }

  /** Ends after the items already queued. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
    if (this.waiting && this.items.length === 0) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: undefined, done: true });
    }
  }

  get size(): number {
    return this.items.length;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
