import type { CBOWProgress } from "../models/cbow-trainer.js";

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

/** One line of the progress bar: epoch, bar, percent, effective words/s, loss, ETA. */
export function progressLine(p: CBOWProgress, width = 24): string {
  const frac = p.totalWords > 0 ? Math.min(1, p.words / p.totalWords) : 0;
  const filled = Math.round(frac * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  const rate = p.seconds > 0 ? p.effectiveWords / p.seconds : 0;
  const eta = frac > 0 ? (p.seconds * (1 - frac)) / frac : NaN;
  const epoch = Math.min(p.epochs, p.epoch + (frac < 1 ? 1 : 0));
  const loss = Number.isFinite(p.loss) ? p.loss.toFixed(3) : "-";
  return `epoch ${epoch}/${p.epochs} ${bar} ${(frac * 100).toFixed(0).padStart(3)}%  ${human(rate)} words/s  loss ${loss}  ETA ${clock(eta)}`;
}
