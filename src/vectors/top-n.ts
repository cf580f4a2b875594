// Partial top-N selection: a bounded min-heap keyed on (score, -row), so one pass over V scores keeps
// the N best in O(V log N) without sorting all of V. Ties go to the lower row, so results are
// deterministic.

/**
 * The N best (row, score) pairs seen so far; the worst of them sits at the root.
 *
 * @example
 * ```ts
 * const top = new TopN(2);
 * [0.1, 0.9, 0.5, 0.9].forEach((s, r) => top.offer(r, s));
 * top.drain(); // { rows: [1, 3], scores: [0.9, 0.9] }: best first, ties to the earlier row
 * ```
 */
export class TopN {
  readonly rows: Int32Array;
  readonly scores: Float64Array;
  size = 0;

  constructor(readonly capacity: number) {
    this.rows = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  /** The score a candidate must beat to enter (-Infinity until the heap is full). */
  get threshold(): number {
    return this.size < this.capacity ? -Infinity : this.scores[0];
  }

  /** Offers a candidate; NaN scores never enter. Rows must be offered in ascending order. */
  offer(row: number, score: number): void {
    if (!(score === score)) return;
    if (this.size < this.capacity) {
      this.siftUp(this.size++, row, score);
    } else if (score > this.scores[0]) {
      // A later row only replaces an equal score if strictly better: lower rows win ties.
      this.siftDown(0, row, score);
    }
  }

  /** The kept pairs, best first. Empties the heap. */
  drain(): { rows: number[]; scores: number[] } {
    const n = this.size;
    const rows = new Array<number>(n);
    const scores = new Array<number>(n);
    for (let k = n - 1; k >= 0; k--) {
      rows[k] = this.rows[0];
      scores[k] = this.scores[0];
      const last = --this.size;
      if (last > 0) this.siftDown(0, this.rows[last], this.scores[last]);
    }
    return { rows, scores };
  }

  /** a is worse than b: lower score, or an equal score on a later row. */
  private worse(rowA: number, scoreA: number, rowB: number, scoreB: number): boolean {
    return scoreA < scoreB || (scoreA === scoreB && rowA > rowB);
  }

  private siftUp(i: number, row: number, score: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(row, score, this.rows[parent], this.scores[parent])) break;
      this.rows[i] = this.rows[parent];
      this.scores[i] = this.scores[parent];
      i = parent;
    }
    this.rows[i] = row;
    this.scores[i] = score;
  }

  private siftDown(i: number, row: number, score: number): void {
    const n = this.size;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.worse(this.rows[right], this.scores[right], this.rows[child], this.scores[child])) {
        child = right;
      }
      if (!this.worse(this.rows[child], this.scores[child], row, score)) break;
      this.rows[i] = this.rows[child];
      this.scores[i] = this.scores[child];
      i = child;
    }
    this.rows[i] = row;
    this.scores[i] = score;
  }
}
