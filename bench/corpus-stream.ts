// A corpus far larger than memory should train as fast as a small one: `embedkit train` on a ~1 GB
// corpus (a small corpus repeated; generated into /tmp, never committed) for one epoch, beside the
// same run on the small file, and gensim's corpus_file mode (its streaming trainer) on both. Each
// run is a separate process under /usr/bin/time -v, which gives its peak resident memory.
//
// The small corpus is --corpus, else the file EMBEDKIT_CORPUS names, else a generated one (the demo
// grammar, 200,000 sentences); the recorded run in bench/README.md used a Wikipedia sample of 2.8 MB.
//
//   npm run bench:stream -- [--corpus FILE] [--big /tmp/embedkit-stream-1g.txt] [--size-mb 1024]
//                           [--threads 2] [--rounds 3] [--no-gensim] [--no-big] [--similarity FILE.tsv]
//                           [--quality-epochs 10]
//
// Words per second are effective words (in-vocabulary tokens kept by subsampling) over the seconds
// of the training loop, as `embedkit train` and gensim report them. The small-file runs are repeated
// (--rounds, alternating embedkit and gensim) before and after the big ones, and their medians are
// the baseline; the big runs happen once each (minutes). When /tmp/evaldata/wordsim353.tsv exists,
// every vector file is scored by gensim's evaluate_word_pairs (bench/reference/eval_vectors.py).
// --quality-epochs N adds the small file trained N epochs from memory and streamed (--memory 0),
// alternated over --rounds, to compare the vectors' quality at equal epochs.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const cli = join(here, "..", "src", "cli.js");
const python = "/usr/bin/python3";

const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: process.env.EMBEDKIT_CORPUS },
    big: { type: "string", default: join(tmpdir(), "embedkit-stream-1g.txt") },
    "size-mb": { type: "string", default: "1024" },
    threads: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
    "no-gensim": { type: "boolean", default: false },
    "no-big": { type: "boolean", default: false },
    similarity: { type: "string", default: "/tmp/evaldata/wordsim353.tsv" },
    "quality-epochs": { type: "string", default: "0" },
  },
});
const threads = values.threads!;
const hasGensim = !values["no-gensim"] && spawnSync(python, ["-c", "import gensim"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "embedkit-bench-stream-"));
if (values.corpus === undefined || values.corpus === "") {
  const { generateDemoCorpus } = (await import(join(here, "..", "src", "index.js"))) as typeof import("../src/index.js");
  values.corpus = join(dir, "demo-corpus.txt");
  writeFileSync(values.corpus, generateDemoCorpus({ sentences: 200_000, seed: 1 }));
  process.stderr.write(`no --corpus or EMBEDKIT_CORPUS: the small corpus is a generated one, ${values.corpus}\n`);
}

/** The big corpus: the small one repeated until it reaches --size-mb (kept for the next run). */
function makeBig(): void {
  const want = Number(values["size-mb"]) * 2 ** 20;
  if (existsSync(values.big!) && statSync(values.big!).size >= want) return;
  const piece = readFileSync(values.corpus!);
  const fd = openSync(values.big!, "w");
  let n = 0;
  for (; n < want; n += piece.length) writeSync(fd, piece);
  closeSync(fd);
  process.stderr.write(`wrote ${values.big} (${(n / 2 ** 20).toFixed(0)} MiB)\n`);
}

interface Run {
  trainer: string;
  file: string;
  wordsPerSecond: number;
  trainSeconds: number;
  wallSeconds: number;
  /** CPU seconds of the whole process (every thread), and effective words per CPU second. */
  cpuSeconds: number;
  wordsPerCpuSecond: number;
  peakMiB: number;
  spearman: number | null;
  note: string;
}

/** Runs a command under /usr/bin/time -v: its output, wall seconds and peak resident memory. */
function timed(cmd: string, args: string[]): { stdout: string; stderr: string; wall: number; peakMiB: number; cpu: number } {
  const r = spawnSync("/usr/bin/time", ["-v", cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  return {
    stdout: r.stdout,
    stderr: r.stderr,
    wall: wall === null ? NaN : Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]),
    peakMiB: rss === null ? NaN : Number(rss[1]) / 1024,
    cpu: user === null || sys === null ? NaN : Number(user[1]) + Number(sys[1]),
  };
}

function spearman(vectors: string): number | null {
  if (!hasGensim || !existsSync(values.similarity!)) return null;
  const r = spawnSync(python, [join(root, "bench", "reference", "eval_vectors.py"), vectors, "--binary", "--similarity", values.similarity!, "--analogies", "none"], { encoding: "utf8" });
  return r.status === 0 ? JSON.parse(r.stdout).similarity[0].spearman : null;
}

function embedkit(file: string, extra: string[] = [], label = "embedkit", epochs = "1"): Run {
  const out = join(dir, "embedkit.bin");
  const r = timed(process.execPath, [cli, "train", "--input", file, "--output", out, "--binary", "--threads", threads, "--epochs", epochs, ...extra]);
  const m = /from (\d+) tokens \((\d+) in vocabulary, ([^)]*)\), .*?: (\d+) effective words in ([\d.]+) s/.exec(r.stderr);
  if (m === null) throw new Error(`unexpected output of embedkit train:\n${r.stderr}`);
  const run: Run = {
    trainer: label, file, wordsPerSecond: Number(m[4]) / Number(m[5]), trainSeconds: Number(m[5]), wallSeconds: r.wall,
    cpuSeconds: r.cpu, wordsPerCpuSecond: Number(m[4]) / r.cpu,
    peakMiB: r.peakMiB, spearman: spearman(out), note: m[3],
  };
  report(run);
  return run;
}

function gensim(file: string): Run {
  const out = join(dir, "gensim.bin");
  const r = timed(python, [join(root, "bench", "reference", "gensim_corpus_file.py"), "--input", file, "--output", out, "--workers", threads, "--epochs", "1"]);
  const j = JSON.parse(r.stdout);
  const run: Run = {
    trainer: `gensim ${j.gensim} corpus_file`, file, wordsPerSecond: j.effective_words_per_s, trainSeconds: j.times_s.train, wallSeconds: r.wall,
    cpuSeconds: r.cpu, wordsPerCpuSecond: j.effective_words / r.cpu,
    peakMiB: r.peakMiB, spearman: spearman(out), note: `vocabulary pass ${j.times_s.vocab.toFixed(1)} s`,
  };
  report(run);
  return run;
}

function report(r: Run): void {
  process.stderr.write(
    `${r.trainer} ${r.file}: ${Math.round(r.wordsPerSecond / 1000)}k words/s, train ${r.trainSeconds.toFixed(1)} s, wall ${r.wallSeconds.toFixed(1)} s, ` +
      `${Math.round(r.wordsPerCpuSecond / 1000)}k words per CPU s, ` +
      `peak ${r.peakMiB.toFixed(0)} MiB, WordSim-353 ρ ${r.spearman?.toFixed(3) ?? "-"} (${r.note})\n`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const small: Run[] = [];
const rounds = Number(values.rounds);
const smallRounds = (n: number) => {
  for (let i = 0; i < n; i++) {
    small.push(embedkit(values.corpus!));
    small.push(embedkit(values.corpus!, ["--memory", "0"], "embedkit --memory 0"));
    if (hasGensim) small.push(gensim(values.corpus!));
  }
};
smallRounds(Math.ceil(rounds / 2));
const big: Run[] = [];
if (!values["no-big"]) {
  makeBig();
  big.push(embedkit(values.big!));
  if (hasGensim) big.push(gensim(values.big!));
}
smallRounds(Math.floor(rounds / 2));
const quality: Run[] = [];
const qe = values["quality-epochs"]!;
if (Number(qe) > 0) {
  for (let i = 0; i < Math.max(1, rounds); i++) {
    quality.push(embedkit(values.corpus!, [], `embedkit ${qe} epochs`, qe));
    quality.push(embedkit(values.corpus!, ["--memory", "0"], `embedkit ${qe} epochs --memory 0`, qe));
  }
}

const when = new Date().toISOString().slice(0, 16) + "Z";
console.log(`\nOne epoch, --threads ${threads}, dim 100 window 5 negative 5 min-count 5 sample 1e-3; ${when}`);
console.log("| trainer | corpus | words/s | train s | wall s | words per CPU s | peak RSS MiB | WordSim-353 ρ | |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
for (const r of [...small, ...big, ...quality]) {
  console.log(`| ${r.trainer} | ${r.file} | ${Math.round(r.wordsPerSecond)} | ${r.trainSeconds.toFixed(1)} | ${r.wallSeconds.toFixed(1)} | ${Math.round(r.wordsPerCpuSecond)} | ${r.peakMiB.toFixed(0)} | ${r.spearman?.toFixed(3) ?? "-"} | ${r.note} |`);
}
const med = (t: string) => median(small.filter((r) => r.trainer === t || (t === "gensim" && r.trainer.startsWith(t))).map((r) => r.wordsPerSecond));
const e = big.find((r) => r.trainer === "embedkit");
const g = big.find((r) => r.trainer.startsWith("gensim"));
if (e !== undefined) {
  console.log(`\nembedkit, big / small file words/s: ${(e.wordsPerSecond / med("embedkit")).toFixed(2)} (target >= 0.8); peak RSS ${e.peakMiB.toFixed(0)} MiB (target <= 1024)`);
}
if (g !== undefined) console.log(`gensim corpus_file, big / small file words/s: ${(g.wordsPerSecond / med("gensim")).toFixed(2)}`);
if (e !== undefined && g !== undefined) console.log(`big file, embedkit / gensim corpus_file words/s: ${(e.wordsPerSecond / g.wordsPerSecond).toFixed(2)}`);
if (hasGensim) console.log(`small file, embedkit / gensim corpus_file words/s (medians): ${(med("embedkit") / med("gensim")).toFixed(2)}`);
console.log(`small file, embedkit streamed (--memory 0) / held in memory words/s (medians): ${(med("embedkit --memory 0") / med("embedkit")).toFixed(2)}`);
const cpuMed = (t: string) => median(small.filter((r) => r.trainer === t).map((r) => r.wordsPerCpuSecond));
if (e !== undefined) console.log(`embedkit words per CPU second, big / small file: ${(e.wordsPerCpuSecond / cpuMed("embedkit")).toFixed(2)} (whole process: counting, training, writing)`);
console.log(`embedkit words per CPU second, small file streamed / in memory: ${(cpuMed("embedkit --memory 0") / cpuMed("embedkit")).toFixed(2)}`);
if (quality.length > 0) {
  const rho = (label: string) => quality.filter((r) => r.trainer === label).map((r) => r.spearman?.toFixed(3) ?? "-").join(", ");
  console.log(`WordSim-353 ρ after ${qe} epochs on the small file: from memory ${rho(`embedkit ${qe} epochs`)}; streamed ${rho(`embedkit ${qe} epochs --memory 0`)}`);
}
rmSync(dir, { recursive: true, force: true });
