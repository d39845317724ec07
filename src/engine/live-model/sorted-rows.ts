// Rows kept sorted by key (a node's name, a pod's namespace/name) under
// single-row edits: an update replaces one slot, an insert or delete moves
// pointers (memmove), never re-sorts or rebuilds.
export class SortedRows<R> {
  private rows: R[] = [];
  private frozen: readonly R[] | undefined;

  constructor(private readonly keyOf: (row: R) => string) {}

  get size(): number {
    return this.rows.length;
  }

  get(key: string): R | undefined {
    const i = this.indexOf(key);
    return i >= 0 ? this.rows[i] : undefined;
  }

  upsert(row: R): void {
    const key = this.keyOf(row);
    const i = this.search(key);
    if (i < this.rows.length && this.keyOf(this.rows[i]) === key) this.rows[i] = row;
    else this.rows.splice(i, 0, row);
    this.frozen = undefined;
  }

  delete(key: string): boolean {
    const i = this.indexOf(key);
    if (i < 0) return false;
    this.rows.splice(i, 1);
    this.frozen = undefined;
    return true;
  }

  /** An immutable view; the same array is returned until the next edit. */
  view(): readonly R[] {
    this.frozen ??= this.rows.slice();
    return this.frozen;
  }

  private indexOf(key: string): number {
    const i = this.search(key);
    return i < this.rows.length && this.keyOf(this.rows[i]) === key ? i : -1;
  }

  /** The first index whose key is >= key. */
  private search(key: string): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keyOf(this.rows[mid]) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
