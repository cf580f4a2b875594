import type { CBOWProgress } from "../word2vec/trainer.js";

/** "1:05" / "1:02:03" for a number of seconds. */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** "412k" / "1.2M": a rate for humans. */
export function human(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}k`;
  return n.toFixed(0);
}

/**
 * One line of the progress bar: epoch, bar, percent, effective words/s, loss, ETA. The second
 * argument is the bar's width in characters (default 24), or `{ columns }`: the terminal's width,
 * which the line then fits in (one column spare, so that it never wraps), with a bar of 10 to 40
 * characters, dropping the loss and then the rate when even that does not fit.
 */
export function progressLine(p: CBOWProgress, size: number | { columns: number } = 24): string {
  const frac = p.totalWords > 0 ? Math.min(1, p.words / p.totalWords) : 0;
  const rate = p.seconds > 0 ? p.effectiveWords / p.seconds : 0;
  const eta = frac > 0 ? (p.seconds * (1 - frac)) / frac : NaN;
  const epoch = Math.min(p.epochs, p.epoch + (frac < 1 ? 1 : 0));
  const loss = Number.isFinite(p.loss) ? p.loss.toFixed(3) : "-";
  const head = `epoch ${epoch}/${p.epochs} `;
  const pct = ` ${(frac * 100).toFixed(0).padStart(3)}%`;
  const parts = [`  ${human(rate)} words/s`, `  loss ${loss}`, `  ETA ${clock(eta)}`];
  const bar = (width: number) => {
    const filled = Math.round(frac * width);
    return "█".repeat(filled) + "░".repeat(width - filled);
  };
  if (typeof size === "number") return head + bar(size) + pct + parts.join("");
  const room = Math.max(1, size.columns - 1);
  // Drop the loss, then the rate, until a bar of at least 10 fits; then cut the line as a last resort.
  for (const keep of [[0, 1, 2], [0, 2], [2]]) {
    const tail = keep.map((i) => parts[i]).join("");
    const width = Math.min(40, room - head.length - pct.length - tail.length);
    if (width >= 10) return head + bar(width) + pct + tail;
  }
  return (head + bar(10) + pct).slice(0, room);
}

/**
 * A status line on a terminal, redrawn in place: carriage return, the line (fitted to the width),
 * then clear to the end of the line. Draws at most ten times a second (unless forced); `done()`
 * ends the line once something was drawn.
 */
export class Bar {
  private last = -Infinity;
  private drawn = false;

  constructor(private readonly write: (s: string) => void, private readonly columns?: number) {}

  draw(render: (columns: number) => string, force = false): void {
    const t = performance.now();
    if (!force && t - this.last < 100) return;
    this.last = t;
    const cols = this.columns ?? 80;
    let line = render(cols);
    if (this.columns !== undefined && line.length > cols - 1) line = line.slice(0, Math.max(1, cols - 1));
    this.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.write("\n");
    this.drawn = false;
  }
}
