// Rows kept sorted by name under single-row edits: an update replaces one slot,
// an insert or delete moves pointers (memmove), never re-sorts or rebuilds.
export class SortedRows<R extends { name: string }> {
  private rows: R[] = [];
  private frozen: readonly R[] | undefined;

  get size(): number {
    return this.rows.length;
  }

  get(name: string): R | undefined {
    const i = this.indexOf(name);
    return i >= 0 ? this.rows[i] : undefined;
  }

  upsert(row: R): void {
    const i = this.search(row.name);
    if (i < this.rows.length && this.rows[i].name === row.name) this.rows[i] = row;
    else this.rows.splice(i, 0, row);
    this.frozen = undefined;
  }

  delete(name: string): boolean {
    const i = this.indexOf(name);
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

  private indexOf(name: string): number {
    const i = this.search(name);
    return i < this.rows.length && this.rows[i].name === name ? i : -1;
  }

  /** The first index whose name is >= name. */
  private search(name: string): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[mid].name < name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
