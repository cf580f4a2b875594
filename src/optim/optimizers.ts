import { Tensor } from "../tensor/tensor.js";
import { Parameter, RowSparseGrad } from "../tensor/parameter.js";
import { checkBoolean, checkNumber, checkOptions, describe, sameShape, showShape } from "../tensor/check.js";
import { axpyRowsAndClear, axpySameRows, scatterAxpyRows } from "../kernels/axpy.js";

// Optimizers with PyTorch's formulas (torch/optim/*.py), simplest first. Every one of them works row by
// row on a [V, H] table and visits only the rows that can change:
// - rows with gradient (a RowSparseGrad's rows, or a dense gradient's touchedRows), for plain SGD,
//   Adagrad and SparseAdam, where a row without gradient does not move;
// - rows that ever had gradient, for momentum SGD and Adam, whose state keeps moving a row after its
//   gradient is gone but stays exactly zero for a row that never had any;
// - every row, once weight decay makes every row's gradient non-zero.
// step() checks every gradient first (kind, shape, rows), in O(rows), then updates, then clears every
// gradient it applied (as zeroGrad): a bad gradient throws and leaves every parameter and gradient as
// it was. NaN or Infinity in a gradient is not looked for (that
// would be a pass over every value, as long as the update itself): it reaches the weights, as in PyTorch.

/** A parameter's checked gradient: the rows it has and where their values are. */
interface GradRows {
  /** The distinct rows with gradient (or, `byPosition`, each position's row). */
  rows: Int32Array;
  values: Float32Array;
  /** Row rows[r] of the gradient starts at rows[r] · width in `values` (a dense gradient), else at r · width. */
  dense: boolean;
  /** An uncoalesced RowSparseGrad, applied position by position (plain SGD only). */
  byPosition: boolean;
  /** The parameter's own dense buffer: the update may zero the rows it applies (then sets `cleared`). */
  ownBuffer: boolean;
  cleared: boolean;
}

/** offsets[r]: where row rows[r] starts in `values`. */
function offsetsOf(g: GradRows, width: number): Int32Array {
  const offsets = new Int32Array(g.rows.length);
  if (g.dense) for (let r = 0; r < offsets.length; r++) offsets[r] = g.rows[r] * width;
  else for (let r = 0; r < offsets.length; r++) offsets[r] = r * width;
  return offsets;
}

function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/**
 * Checks `params[i]`'s gradient before anything is updated: a Tensor of the parameter's shape (with
 * `touchedRows` null, or integers in range, each once) or a RowSparseGrad of its shape (rows in range,
 * unique, ascending; values `[rows, ...]`). O(rows); `marks` is a `[V]` scratch, all 0 on entry and exit.
 */
function checkGrad(fn: string, i: number, p: Parameter, byPosition: boolean, marks: () => Uint8Array): GradRows {
  let g: unknown = p.grad;
  const at = `params[${i}]`;
  const V = p.numRows;
  if (g instanceof RowSparseGrad) {
    if (!sameShape(g.shape, p.shape)) {
      throw new RangeError(`${fn}: ${at}.grad shape ${showShape(g.shape)} != parameter shape ${showShape(p.shape)}`);
    }
    const expected = [g.rows.length, ...p.shape.slice(1)];
    if (!sameShape(g.values.shape, expected)) {
      throw new RangeError(`${fn}: ${at}.grad.values shape ${showShape(g.values.shape)} != ${showShape(expected)}`);
    }
    const coalesced = g.coalesced;
    for (let r = 0; r < g.rows.length; r++) {
      const row = g.rows[r];
      if (row >>> 0 >= V || (coalesced && r > 0 && row <= g.rows[r - 1])) {
        const rule = coalesced ? "unique, ascending and in" : "in";
        throw new RangeError(`${fn}: ${at}.grad.rows must be ${rule} [0, ${V - 1}]; rows[${r}] = ${row}`);
      }
    }
    // Plain SGD adds an uncoalesced gradient position by position (PyTorch's add_); the others coalesce it.
    if (!coalesced && !byPosition) g = g.coalesce();
    const s = g as RowSparseGrad;
    return { rows: s.rows, values: s.values.data, dense: false, byPosition: !s.coalesced, ownBuffer: false, cleared: false };
  }
  if (!(g instanceof Tensor)) throw new TypeError(`${fn}: ${at}.grad must be a Tensor or a RowSparseGrad, got ${describe(g)}`);
  if (!sameShape(g.shape, p.shape)) {
    throw new RangeError(`${fn}: ${at}.grad shape ${showShape(g.shape)} != parameter shape ${showShape(p.shape)}`);
  }
  const touched: unknown = p.touchedRows;
  if (touched === null || touched === undefined) return { rows: allRows(V), values: g.data, dense: true, byPosition: false, ownBuffer: false, cleared: false };
  // touchedRows the layers wrote (the parameter's own buffer) are already checked; a user's are checked here
  if (p.ownsDenseGrad) return { rows: touched as Int32Array, values: g.data, dense: true, byPosition: false, ownBuffer: true, cleared: false };
  const rows = checkTouchedRows(fn, at, touched, V, marks());
  return { rows, values: g.data, dense: true, byPosition: false, ownBuffer: false, cleared: false };
}

/** `touchedRows`: an Int32Array (or an array of integers), each row in [0, V) and listed once. */
function checkTouchedRows(fn: string, at: string, touched: unknown, V: number, marks: Uint8Array): Int32Array {
  const isInt32 = touched instanceof Int32Array;
  if (!isInt32 && !Array.isArray(touched)) {
    throw new TypeError(`${fn}: ${at}.touchedRows must be an Int32Array of rows or null, got ${describe(touched)}`);
  }
  const t = touched as ArrayLike<unknown>;
  let bad: Error | null = null;
  let r = 0;
  for (; r < t.length; r++) {
    const row = t[r] as number;
    if (!isInt32 && (typeof row !== "number" || !Number.isInteger(row))) {
      bad = new TypeError(`${fn}: ${at}.touchedRows[${r}] must be an integer, got ${describe(row)}`);
      break;
    }
    if (!(row >= 0 && row < V)) {
      bad = new RangeError(`${fn}: ${at}.touchedRows[${r}] = ${row} is out of range [0, ${V - 1}]`);
      break;
    }
    if (marks[row] !== 0) {
      bad = new RangeError(`${fn}: ${at}.touchedRows[${r}] = ${row} is listed twice`);
      break;
    }
    marks[row] = 1;
  }
  for (let k = 0; k < r; k++) marks[t[k] as number] = 0;
  if (bad !== null) throw bad;
  return isInt32 ? (touched as Int32Array) : Int32Array.from(t as number[]);
}

/** Per-parameter state: buffers the size of the parameter, and the rows they are non-zero in. */
class RowState {
  readonly buffers: Float32Array[];
  /** Rows that have ever had gradient (the only rows whose buffers are non-zero). */
  private seen: Uint8Array;
  active: Int32Array;
  count = 0;
  /** row -> offset of its gradient in the current step, -1 for none; reset after each step. */
  readonly gradOffset: Int32Array;
  step = 0;

  constructor(p: Parameter, nBuffers: number, fill = 0) {
    this.buffers = Array.from({ length: nBuffers }, () => new Float32Array(p.size).fill(fill));
    this.seen = new Uint8Array(p.numRows);
    this.active = new Int32Array(16);
    this.gradOffset = new Int32Array(p.numRows).fill(-1);
  }

  /**
   * Marks the gradient's rows (or, with `everyRow`, every row: weight decay) as active and records
   * where their values are.
   */
  enter(g: GradRows, offsets: Int32Array, everyRow: boolean): void {
    if (!everyRow || this.count < this.seen.length) this.mark(everyRow ? allRows(this.seen.length) : g.rows);
    for (let r = 0; r < g.rows.length; r++) this.gradOffset[g.rows[r]] = offsets[r];
  }

  private mark(rows: Int32Array): void {
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      if (this.seen[row] === 0) {
        this.seen[row] = 1;
        if (this.count === this.active.length) {
          const grown = new Int32Array(Math.min(this.seen.length, this.active.length * 2));
          grown.set(this.active);
          this.active = grown;
        }
        this.active[this.count++] = row;
      }
    }
  }

  leave(g: GradRows): void {
    for (let r = 0; r < g.rows.length; r++) this.gradOffset[g.rows[r]] = -1;
  }
}

type Params = readonly Parameter[] | { readonly params: readonly Parameter[] };

/**
 * The shared part of every optimizer: the parameter list, `step()` over those that have a gradient
 * (which clears them after), `zeroGrad()`. Subclasses implement `update(p, g)` for one parameter's gradient rows.
 *
 * @example
 * ```ts
 * const emb = new Embedding(4, 2, { seed: 1 });
 * const opt: Optimizer = new SGD(emb.params, { lr: 0.5 });
 * emb.forward([3]);
 * emb.backward(Tensor.ones([1, 2]));
 * opt.step();      // applies the gradient, then clears it
 * emb.weight.grad; // null
 * ```
 */
export abstract class Optimizer {
  readonly params: Parameter[];
  protected readonly state = new Map<Parameter, RowState>();
  /** The name in error messages, e.g. `SGD`. */
  private readonly fn: string;
  /** Per parameter, a `[V]` scratch for checking `touchedRows`, made on first use. */
  private readonly marks = new Map<Parameter, Uint8Array>();

  constructor(fn: string, params: Params) {
    const list = Array.isArray(params) ? params : (params as { params?: unknown } | null)?.params;
    if (!Array.isArray(list)) {
      throw new TypeError(`${fn}: params must be an array of Parameters (or a layer with .params), got ${describe(params)}`);
    }
    if (list.length === 0) throw new RangeError(`${fn}: params is an empty list; give at least one Parameter (as PyTorch)`);
    list.forEach((p, i) => {
      if (!(p instanceof Parameter)) throw new TypeError(`${fn}: params[${i}] must be a Parameter, got ${describe(p)}`);
    });
    this.params = [...new Set(list as Parameter[])];
    this.fn = fn;
  }

  /**
   * Updates every parameter with `requiresGrad` and a non-null `grad`, then clears those gradients (so
   * a loop that never calls `zeroGrad` still trains: each step applies the backwards since the last).
   * Every such gradient is checked first (kind, shape, rows; see the class comment), so a bad one
   * throws before any parameter moves or any gradient is cleared.
   */
  step(): void {
    const fn = `${this.fn}.step`;
    const byPosition = this.appliesByPosition();
    const checked: (GradRows | null)[] = [];
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i];
      checked.push(!p.requiresGrad || p.grad === null ? null : checkGrad(fn, i, p, byPosition, () => this.marksOf(p)));
    }
    for (let i = 0; i < this.params.length; i++) {
      const g = checked[i];
      if (g !== null) this.update(this.params[i], g);
    }
    for (let i = 0; i < this.params.length; i++) {
      const g = checked[i];
      if (g === null) continue;
      if (g.cleared) this.params[i].clearAppliedGrad();
      else this.params[i].zeroGrad();
    }
  }

  /** Sets every parameter's `grad` to null (dense buffers are cleared in their touched rows and kept). */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /** Whether `update` applies an uncoalesced sparse gradient position by position (`g.byPosition`). */
  protected appliesByPosition(): boolean {
    return false;
  }

  protected abstract update(p: Parameter, g: GradRows): void;

  private marksOf(p: Parameter): Uint8Array {
    let m = this.marks.get(p);
    if (m === undefined || m.length !== p.numRows) this.marks.set(p, (m = new Uint8Array(p.numRows)));
    return m;
  }
}

const lrArg = (fn: string, lr: unknown) => checkNumber(fn, "lr", lr, 0, Number.MAX_VALUE);

/**
 * Stochastic gradient descent, PyTorch's `torch.optim.SGD`:
 * `d = g + weightDecay·p;  buf = momentum·buf + (1 − dampening)·d  (buf = d at the first step);
 *  d = nesterov ? d + momentum·buf : buf;  p −= lr·d`.
 * Without momentum and weight decay, only the rows with gradient are touched.
 *
 * @example
 * ```ts
 * const emb = new Embedding(5, 3, { seed: 0 });
 * emb.forward([2]);
 * emb.backward(Tensor.ones([1, 3]));
 * new SGD(emb.params, { lr: 0.1 }).step(); // row 2 moves by -0.1 in every column; rows 0, 1, 3, 4 stay
 * ```
 */
export class SGD extends Optimizer {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;

  constructor(
    params: Params,
    options: { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number },
  ) {
    const fn = "SGD";
    super(fn, params);
    const o = checkOptions(fn, options, ["lr", "momentum", "dampening", "nesterov", "weightDecay"]);
    if (o.lr === undefined) throw new TypeError(`${fn}: options.lr is required`);
    this.lr = lrArg(fn, o.lr);
    this.momentum = o.momentum === undefined ? 0 : checkNumber(fn, "momentum", o.momentum, 0, Number.MAX_VALUE);
    this.dampening = o.dampening === undefined ? 0 : checkNumber(fn, "dampening", o.dampening, -Number.MAX_VALUE, Number.MAX_VALUE);
    this.nesterov = o.nesterov === undefined ? false : checkBoolean(fn, "nesterov", o.nesterov);
    this.weightDecay = o.weightDecay === undefined ? 0 : checkNumber(fn, "weightDecay", o.weightDecay, 0, Number.MAX_VALUE);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new RangeError(
        `${fn}: nesterov needs momentum > 0 and dampening = 0, got momentum ${this.momentum}, dampening ${this.dampening}`,
      );
    }
  }

  protected override appliesByPosition(): boolean {
    return this.momentum === 0 && this.weightDecay === 0;
  }

  protected update(p: Parameter, g: GradRows): void {
    const { lr, momentum, dampening, nesterov, weightDecay: wd } = this;
    const P = p.data;
    const w = p.rowWidth;
    const G = g.values;
    if (momentum === 0 && wd === 0) {
      // p[row] -= lr · g[row], rows with gradient only; a sparse gradient row by row in its order
      // (uncoalesced: position by position, as PyTorch's add_ of its uncoalesced sparse gradient)
      if (g.ownBuffer) {
        axpyRowsAndClear(P, g.rows, G, w, -lr); // the step clears the gradient next: zero its rows in the same pass
        g.cleared = true;
      } else if (g.dense) {
        axpySameRows(P, g.rows, G, w, -lr);
      } else {
        scatterAxpyRows(P, g.rows, -1, G, w, -lr);
      }
      return;
    }
    let st = this.state.get(p);
    if (st === undefined) this.state.set(p, (st = new RowState(p, momentum === 0 ? 0 : 1)));
    st.enter(g, offsetsOf(g, w), wd !== 0);
    const first = st.step++ === 0;
    const buf = momentum === 0 ? null : st.buffers[0];
    for (let a = 0; a < st.count; a++) {
      const row = st.active[a];
      const pOff = row * w;
      const gOff = st.gradOffset[row];
      for (let j = 0; j < w; j++) {
        let d = (gOff < 0 ? 0 : G[gOff + j]) + wd * P[pOff + j];
        if (buf !== null) {
          const b = first ? d : momentum * buf[pOff + j] + (1 - dampening) * d;
          buf[pOff + j] = b;
          d = nesterov ? d + momentum * b : b;
        }
        P[pOff + j] -= lr * d;
      }
    }
    st.leave(g);
  }
}

/**
 * Adagrad, PyTorch's `torch.optim.Adagrad`:
 * `d = g + weightDecay·p;  clr = lr / (1 + (t − 1)·lrDecay);  sum += d²;  p −= clr · d / (√sum + eps)`.
 * A row-sparse gradient updates only its rows, which gives exactly the dense result.
 *
 * @example
 * ```ts
 * const opt = new Adagrad(new Embedding(10, 4, { sparse: true, seed: 1 }).params, { lr: 0.1 });
 * ```
 */
export class Adagrad extends Optimizer {
  readonly lr: number;
  readonly lrDecay: number;
  readonly weightDecay: number;
  readonly initialAccumulatorValue: number;
  readonly eps: number;

  constructor(
    params: Params,
    options: { lr?: number; lrDecay?: number; weightDecay?: number; initialAccumulatorValue?: number; eps?: number } = {},
  ) {
    const fn = "Adagrad";
    super(fn, params);
    const o = checkOptions(fn, options, ["lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps"]);
    this.lr = o.lr === undefined ? 0.01 : lrArg(fn, o.lr);
    this.lrDecay = o.lrDecay === undefined ? 0 : checkNumber(fn, "lrDecay", o.lrDecay, 0, Number.MAX_VALUE);
    this.weightDecay = o.weightDecay === undefined ? 0 : checkNumber(fn, "weightDecay", o.weightDecay, 0, Number.MAX_VALUE);
    this.initialAccumulatorValue =
      o.initialAccumulatorValue === undefined ? 0 : checkNumber(fn, "initialAccumulatorValue", o.initialAccumulatorValue, 0, Number.MAX_VALUE);
    this.eps = o.eps === undefined ? 1e-10 : checkNumber(fn, "eps", o.eps, 0, Number.MAX_VALUE);
  }

  protected update(p: Parameter, g: GradRows): void {
    let st = this.state.get(p);
    if (st === undefined) this.state.set(p, (st = new RowState(p, 1, this.initialAccumulatorValue)));
    st.step++;
    const clr = this.lr / (1 + (st.step - 1) * this.lrDecay);
    const { eps, weightDecay: wd } = this;
    const P = p.data;
    const w = p.rowWidth;
    const G = g.values;
    const sum = st.buffers[0];
    // With weight decay every row has gradient; without it, only the gradient's rows change.
    const offsets = offsetsOf(g, w);
    if (wd !== 0) st.enter(g, offsets, true);
    const rows = wd === 0 ? g.rows : st.active;
    const n = wd === 0 ? g.rows.length : st.count;
    for (let r = 0; r < n; r++) {
      const pOff = rows[r] * w;
      const gOff = wd === 0 ? offsets[r] : st.gradOffset[rows[r]];
      for (let j = 0; j < w; j++) {
        const d = (gOff < 0 ? 0 : G[gOff + j]) + wd * P[pOff + j];
        sum[pOff + j] += d * d;
        P[pOff + j] -= (clr * d) / (Math.sqrt(sum[pOff + j]) + eps);
      }
    }
    if (wd !== 0) st.leave(g);
  }
}

function checkBetas(fn: string, betas: unknown): [number, number] {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new TypeError(`${fn}: betas must be a pair [beta1, beta2], got ${describe(betas)}`);
  }
  return [
    checkNumber(fn, "betas[0]", betas[0], 0, 1, { max: true }),
    checkNumber(fn, "betas[1]", betas[1], 0, 1, { max: true }),
  ];
}

/**
 * Adam, PyTorch's `torch.optim.Adam` (no amsgrad):
 * `d = g + weightDecay·p;  m = β1·m + (1 − β1)·d;  v = β2·v + (1 − β2)·d²;
 *  p −= lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)`.
 * Rows that have had gradient keep moving (their m is not zero); rows that never had any are skipped,
 * which gives exactly the dense result.
 *
 * @example
 * ```ts
 * const opt = new Adam(new Embedding(10, 4, { seed: 1 }).params, { lr: 0.01 });
 * ```
 */
export class Adam extends Optimizer {
  readonly lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;

  constructor(params: Params, options: { lr?: number; betas?: [number, number]; eps?: number; weightDecay?: number } = {}) {
    const fn = "Adam";
    super(fn, params);
    const o = checkOptions(fn, options, ["lr", "betas", "eps", "weightDecay"]);
    this.lr = o.lr === undefined ? 1e-3 : lrArg(fn, o.lr);
    this.betas = o.betas === undefined ? [0.9, 0.999] : checkBetas(fn, o.betas);
    this.eps = o.eps === undefined ? 1e-8 : checkNumber(fn, "eps", o.eps, 0, Number.MAX_VALUE);
    this.weightDecay = o.weightDecay === undefined ? 0 : checkNumber(fn, "weightDecay", o.weightDecay, 0, Number.MAX_VALUE);
  }

  protected update(p: Parameter, g: GradRows): void {
    let st = this.state.get(p);
    if (st === undefined) this.state.set(p, (st = new RowState(p, 2)));
    const t = ++st.step;
    const [b1, b2] = this.betas;
    const { eps, weightDecay: wd } = this;
    const stepSize = this.lr / (1 - b1 ** t);
    const bc2Sqrt = Math.sqrt(1 - b2 ** t);
    const [m, v] = st.buffers;
    const P = p.data;
    const w = p.rowWidth;
    const G = g.values;
    st.enter(g, offsetsOf(g, w), wd !== 0);
    for (let a = 0; a < st.count; a++) {
      const row = st.active[a];
      const pOff = row * w;
      const gOff = st.gradOffset[row];
      for (let j = 0; j < w; j++) {
        const k = pOff + j;
        const d = (gOff < 0 ? 0 : G[gOff + j]) + wd * P[k];
        m[k] += (1 - b1) * (d - m[k]);
        v[k] = b2 * v[k] + (1 - b2) * d * d;
        P[k] -= (stepSize * m[k]) / (Math.sqrt(v[k]) / bc2Sqrt + eps);
      }
    }
    st.leave(g);
  }
}

/**
 * PyTorch's lazy `torch.optim.SparseAdam`: only rows present in the gradient move, and only their
 * moments are updated; bias correction uses the per-parameter step count:
 * `m += (1 − β1)(g − m);  v += (1 − β2)(g² − v);  p −= lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + eps)`.
 *
 * @example
 * ```ts
 * const opt = new SparseAdam(new Embedding(10, 4, { sparse: true, seed: 1 }).params, { lr: 0.01 });
 * ```
 */
export class SparseAdam extends Optimizer {
  readonly lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;

  constructor(params: Params, options: { lr?: number; betas?: [number, number]; eps?: number } = {}) {
    const fn = "SparseAdam";
    super(fn, params);
    const o = checkOptions(fn, options, ["lr", "betas", "eps"]);
    this.lr = o.lr === undefined ? 1e-3 : checkNumber(fn, "lr", o.lr, 0, Number.MAX_VALUE, { min: true });
    this.betas = o.betas === undefined ? [0.9, 0.999] : checkBetas(fn, o.betas);
    this.eps = o.eps === undefined ? 1e-8 : checkNumber(fn, "eps", o.eps, 0, Number.MAX_VALUE, { min: true });
  }

  protected update(p: Parameter, g: GradRows): void {
    let st = this.state.get(p);
    if (st === undefined) this.state.set(p, (st = new RowState(p, 2)));
    const t = ++st.step;
    const [b1, b2] = this.betas;
    const stepSize = (this.lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    const eps = this.eps;
    const [m, v] = st.buffers;
    const P = p.data;
    const w = p.rowWidth;
    const G = g.values;
    const offsets = offsetsOf(g, w);
    for (let r = 0; r < g.rows.length; r++) {
      const pOff = g.rows[r] * w;
      const gOff = offsets[r];
      for (let j = 0; j < w; j++) {
        const k = pOff + j;
        const d = G[gOff + j];
        m[k] += (1 - b1) * (d - m[k]);
        v[k] += (1 - b2) * (d * d - v[k]);
        P[k] -= (stepSize * m[k]) / (Math.sqrt(v[k]) + eps);
      }
    }
  }
}
