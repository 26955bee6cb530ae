/** Readable, deterministic ids: a type prefix and a zero-padded sequence number (cus_0001, te_000001). */
export function seqId(prefix: string, n: number, width: number): string {
  return `${prefix}_${String(n).padStart(width, '0')}`;
}

/** A counter per prefix. */
export class IdSequence {
  private n = 0;
  constructor(
    private readonly prefix: string,
    private readonly width: number,
  ) {}
  next(): string {
    this.n += 1;
    return seqId(this.prefix, this.n, this.width);
  }
  get count(): number {
    return this.n;
  }
}
