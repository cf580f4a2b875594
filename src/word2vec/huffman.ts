import { checkNumber, describe } from "../tensor/check.js";

/** A Huffman tree over a vocabulary, as {@link buildHuffman} returns it. */
export interface HuffmanTree {
  /** Word w's code bits, root first: `codes[codeStarts[w] .. codeStarts[w + 1])`. */
  codes: Uint8Array;
  /** The inner nodes on word w's path, root first (rows of syn1, in [0, V - 2]), aligned with its codes. */
  points: Int32Array;
  /** Where each word's path begins (length V + 1). */
  codeStarts: Int32Array;
}

/**
 * The Huffman tree of hierarchical softmax, built as word2vec.c's CreateBinaryTree builds it: the
 * words in descending count (ties: lower id first), then V - 1 merges of the two lightest nodes,
 * taken from two queues (the words from lightest up, and the inner nodes in the order they were
 * made; on a tie the inner node goes first). Merge a makes inner node a (a row of `syn1`); its first
 * pick gets code 0 and its second code 1; the root is node V - 2. Word w is scored by the inner
 * nodes of its path, `points`, with label 1 - code. Frequent words get short codes: the code lengths
 * minimise Σ count · length. Counts need not be sorted (words added by a vocabulary update come last).
 *
 * @example
 * ```ts
 * const t = buildHuffman([4, 2, 1, 1]);
 * Array.from(t.codeStarts);  // [0, 1, 3, 6, 9]
 * Array.from(t.codes);       // [1, 0, 1, 0, 0, 1, 0, 0, 0]
 * Array.from(t.points);      // [2, 2, 1, 2, 1, 0, 2, 1, 0]
 * ```
 */
export function buildHuffman(counts: ArrayLike<number>): HuffmanTree {
  const fn = "buildHuffman";
  if (counts == null || typeof counts.length !== "number") throw new TypeError(`${fn}: counts must be an array of numbers, got ${describe(counts)}`);
  const V = counts.length;
  if (V < 1) throw new RangeError(`${fn}: counts must have at least one entry`);
  for (let i = 0; i < V; i++) checkNumber(fn, `counts[${i}]`, counts[i], 0, Number.MAX_VALUE);
  // order[r]: the word of rank r (descending count, ties by id).
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  // Nodes 0..V-1 are the words by rank, V..2V-2 the inner nodes in the order they are made.
  const weight = new Float64Array(2 * V);
  for (let r = 0; r < V; r++) weight[r] = counts[order[r]];
  for (let a = V; a < 2 * V; a++) weight[a] = Infinity;
  const parent = new Int32Array(2 * V);
  const bit = new Uint8Array(2 * V);
  let pos1 = V - 1; // the lightest word not merged yet
  let pos2 = V; // the oldest inner node not merged yet
  for (let a = 0; a < V - 1; a++) {
    let min1: number, min2: number;
    if (pos1 >= 0 && weight[pos1] < weight[pos2]) min1 = pos1--;
    else min1 = pos2++;
    if (pos1 >= 0 && weight[pos1] < weight[pos2]) min2 = pos1--;
    else min2 = pos2++;
    weight[V + a] = weight[min1] + weight[min2];
    parent[min1] = V + a;
    parent[min2] = V + a;
    bit[min2] = 1;
  }
  const root = 2 * V - 2;
  const depth = new Int32Array(V);
  let total = 0;
  for (let r = 0; r < V; r++) {
    let d = 0;
    for (let b = r; b !== root && V > 1; b = parent[b]) d++;
    depth[order[r]] = d;
    total += d;
  }
  const codeStarts = new Int32Array(V + 1);
  for (let w = 0; w < V; w++) codeStarts[w + 1] = codeStarts[w] + depth[w];
  const codes = new Uint8Array(total);
  const points = new Int32Array(total);
  for (let r = 0; r < V && V > 1; r++) {
    const w = order[r];
    // Walk up from the leaf, filling the path from its end: the node b's bit is decided at its parent.
    let i = codeStarts[w + 1];
    for (let b = r; b !== root; b = parent[b]) {
      i--;
      codes[i] = bit[b];
      points[i] = parent[b] - V;
    }
  }
  return { codes, points, codeStarts };
}
