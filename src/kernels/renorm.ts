// W [V, H], rows [R] -> W[r] *= maxNorm / (‖W[r]‖_p + 1e-7)   for each r whose p-norm exceeds maxNorm
// Rescales, in place, each of `rows` whose `p`-norm exceeds `maxNorm` by `maxNorm / (norm + 1e-7)`,
// as PyTorch's `embedding_renorm_`, whose scale is a float32 multiplied in float32. Rounding the scale
// the same way makes rows cut in the ∞-norm equal to PyTorch's to the last bit (which decides ties of
// EmbeddingBag's max mode); for the other norms PyTorch also sums the norm in float32, so a row can
// differ from PyTorch's in its last bit (the fixtures' max-norm cases: 67 of 616 floats, was 75 with a
// float64 scale). Embedding and EmbeddingBag share it.
export function renormRows(W: Float32Array, rows: Int32Array, H: number, maxNorm: number, p: number): void {
  for (let s = 0; s < rows.length; s++) {
    const start = rows[s] * H;
    let norm = 0;
    if (p === Infinity) {
      for (let j = 0; j < H; j++) norm = Math.max(norm, Math.abs(W[start + j]));
    } else if (p === 1) {
      for (let j = 0; j < H; j++) norm += Math.abs(W[start + j]);
    } else if (p === 2) {
      for (let j = 0; j < H; j++) norm += W[start + j] * W[start + j];
      norm = Math.sqrt(norm);
    } else {
      for (let j = 0; j < H; j++) norm += Math.abs(W[start + j]) ** p;
      norm **= 1 / p;
    }
    if (norm > maxNorm) {
      const scale = Math.fround(maxNorm / (norm + 1e-7));
      for (let j = 0; j < H; j++) W[start + j] *= scale;
    }
  }
}
