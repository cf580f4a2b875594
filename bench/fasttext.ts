// fastText: embedkit against the fastText CLI, same corpus and settings, runs alternated.
//
//   npm run bench:fasttext -- [--input FILE] [--runs 1] [--threads 2] [--epoch 5]
//                             [--models skipgram,cbow,supervised] [--fasttext PATH] [--similarity FILE.tsv]
//
// Unsupervised (skipgram, cbow): dim 100, epoch 5, minn 3, maxn 6, fastText's other defaults, on both.
// words/s = tokens gone through / training seconds: fastText's final "words/sec/thread" × threads,
// and embedkit's FastTextTrainStats (the same count: in-vocabulary tokens read, over the time of the
// training threads). Both .vec files are scored on WordSim-353 by gensim's evaluate_word_pairs
// (bench/reference/eval_vectors.py, Debian's python3 with gensim), as the word2vec benchmarks are;
// OOV neighbours of misspelt words are printed for both.
// Supervised: each line of the input is a document; its 20-token pieces are the examples, labelled
// with the document's number, shuffled (seeded) and split 80/20. Trained with fastText's supervised
// defaults (dim 100, epoch 5, --threads) and again with -wordNgrams 2; precision@1 on the 20 %,
// training time and .bin size.
//
// The corpus is --input, else a generated one (the demo grammar, inside the run's temporary folder),
// so the benchmark runs in a bare clone. The fastText CLI is --fasttext, else $FASTTEXT_BIN, else
// /work/tools/fasttext-src/fasttext; without it only embedkit runs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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
    input: { type: "string" },
    runs: { type: "string", default: "1" },
    threads: { type: "string", default: "2" },
    epoch: { type: "string", default: "5" },
    models: { type: "string", default: "skipgram,cbow,supervised" },
    fasttext: { type: "string", default: process.env.FASTTEXT_BIN ?? "/work/tools/fasttext-src/fasttext" },
    similarity: { type: "string", default: "/tmp/evaldata/wordsim353.tsv" },
    keep: { type: "boolean", default: false },
  },
});
const threads = Number(values.threads);
const runs = Number(values.runs);
const epoch = values.epoch!;
const ft = values.fasttext!;
const haveFt = existsSync(ft);
const dir = mkdtempSync(join(tmpdir(), "embedkit-bench-fasttext-"));
if (values.input === undefined || values.input === "") {
  const { generateDemoCorpus } = (await import(join(here, "..", "src", "index.js"))) as typeof import("../src/index.js");
  values.input = join(dir, "demo-corpus.txt");
  // 200 "documents" of 1,000 sentences
  const lines = generateDemoCorpus({ sentences: 200_000, seed: 1 }).trim().split("\n");
  const docs: string[] = [];
  for (let i = 0; i < lines.length; i += 1000) docs.push(lines.slice(i, i + 1000).join(" "));
  writeFileSync(values.input, docs.join("\n") + "\n");
  process.stderr.write(`no --input: a generated corpus, ${values.input}\n`);
}
const input = values.input;
process.stderr.write(`node ${process.version}; fastText CLI ${haveFt ? ft : "absent: embedkit only"}; input ${input}\n`);

interface Run {
  trainer: string;
  model: string;
  run: number;
  wordsPerSecond: number;
  trainSeconds: number;
  wallSeconds: number;
  spearman?: number | null;
  precision?: number;
  binBytes: number;
}
const results: Run[] = [];

function run(cmd: string, args: string[], stdin?: string): { out: string; err: string; seconds: number } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", input: stdin, maxBuffer: 1 << 30 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { out: r.stdout, err: r.stderr, seconds };
}

function spearman(vec: string): number | null {
  if (!existsSync(values.similarity!)) return null;
  const r = spawnSync(python, [join(root, "bench", "reference", "eval_vectors.py"), vec, "--similarity", values.similarity!, "--analogies", "none"], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout).similarity[0].spearman;
}

/** Trains with one trainer; returns its run and the output prefix. */
function train(trainer: "fastText" | "embedkit", command: string, trainFile: string, prefix: string, flags: string[]): Run {
  const args = [command, "-input", trainFile, "-output", prefix, ...flags, "-thread", String(threads)];
  const r = trainer === "fastText" ? run(ft, [...args, "-verbose", "2"]) : run(process.execPath, [cli, "fasttext", ...args]);
  let wordsPerSecond: number, trainSeconds: number;
  if (trainer === "fastText") {
    const last = r.err.split(/[\r\n]/).filter((l) => l.includes("words/sec/thread")).pop() ?? "";
    wordsPerSecond = Number(/words\/sec\/thread:\s*(\d+)/.exec(last)?.[1] ?? NaN) * threads;
    trainSeconds = NaN;
  } else {
    const m = /Trained: (\d+) tokens in ([\d.]+) s/.exec(r.err)!;
    trainSeconds = Number(m[2]);
    wordsPerSecond = Number(m[1]) / trainSeconds;
  }
  return { trainer, model: command, run: 0, wordsPerSecond, trainSeconds, wallSeconds: r.seconds, binBytes: statSync(`${prefix}.bin`).size };
}

const OOV = ["anarchsm", "goverment", "philosophyy", "economcs", "revolutionery", "mathematicks"];
const unsup = ["-dim", "100", "-epoch", epoch, "-minn", "3", "-maxn", "6"];
const models = values.models!.split(",");
const neighbours: string[] = [];
for (const model of models.filter((m) => m !== "supervised")) {
  for (let k = 0; k < runs; k++) {
    for (const trainer of (k % 2 === 0 ? ["fastText", "embedkit"] : ["embedkit", "fastText"]) as ("fastText" | "embedkit")[]) {
      if (trainer === "fastText" && !haveFt) continue;
      const prefix = join(dir, `${trainer}-${model}-${k}`);
      const r = train(trainer, model, input, prefix, unsup);
      r.run = k;
      r.spearman = spearman(`${prefix}.vec`);
      results.push(r);
      process.stderr.write(`${trainer} ${model} run ${k}: ${Math.round(r.wordsPerSecond)} words/s, wall ${r.wallSeconds.toFixed(1)} s, WordSim-353 ρ ${r.spearman?.toFixed(3) ?? "-"}\n`);
      if (k === 0) {
        const q = OOV.join("\n") + "\n";
        const out = trainer === "fastText"
          ? run(ft, ["nn", `${prefix}.bin`, "5"], q).out.replace(/Query word\? /g, "\n").trim()
          : run(process.execPath, [cli, "fasttext", "nn", `${prefix}.bin`, "5"], q).out.trim();
        const lines = out.split("\n").filter((l) => l.trim() !== "");
        const rows = OOV.map((w, i) => `| ${trainer} ${model} | ${w} | ${lines.slice(5 * i, 5 * i + 5).map((l) => l.split(" ")[0]).join(", ")} |`);
        neighbours.push(...rows);
      }
      if (!values.keep) for (const ext of [".bin", ".vec"]) rmSync(`${prefix}${ext}`, { force: true });
    }
  }
}

if (models.includes("supervised")) {
  // 20-token pieces of each document, labelled by document, shuffled with a seeded generator, split 80/20
  const docs = readFileSync(input, "utf8").split("\n").filter((l) => l.trim() !== "");
  const examples: string[] = [];
  docs.forEach((d, i) => {
    const toks = d.trim().split(/\s+/);
    for (let j = 0; j + 20 <= toks.length; j += 20) examples.push(`__label__d${i} ${toks.slice(j, j + 20).join(" ")}`);
  });
  let x = 12345;
  for (let i = examples.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    [examples[i], examples[j]] = [examples[j], examples[i]];
  }
  const cut = Math.floor(examples.length * 0.8);
  const trainFile = join(dir, "sup-train.txt"), testFile = join(dir, "sup-test.txt");
  writeFileSync(trainFile, examples.slice(0, cut).join("\n") + "\n");
  writeFileSync(testFile, examples.slice(cut).join("\n") + "\n");
  process.stderr.write(`supervised: ${docs.length} labels, ${cut} training and ${examples.length - cut} test examples\n`);
  for (const [name, extra] of [["supervised", []], ["supervised -wordNgrams 2", ["-wordNgrams", "2"]]] as const) {
    for (let k = 0; k < runs; k++) {
      for (const trainer of (k % 2 === 0 ? ["fastText", "embedkit"] : ["embedkit", "fastText"]) as ("fastText" | "embedkit")[]) {
        if (trainer === "fastText" && !haveFt) continue;
        const prefix = join(dir, `${trainer}-sup-${k}`);
        const r = train(trainer, "supervised", trainFile, prefix, ["-dim", "100", "-epoch", epoch, ...extra]);
        r.model = name;
        r.run = k;
        const t = trainer === "fastText" ? run(ft, ["test", `${prefix}.bin`, testFile, "1"]) : run(process.execPath, [cli, "fasttext", "test", `${prefix}.bin`, testFile, "1"]);
        r.precision = Number(/P@1\t([\d.]+)/.exec(t.out)![1]);
        results.push(r);
        process.stderr.write(`${trainer} ${name} run ${k}: P@1 ${r.precision}, wall ${r.wallSeconds.toFixed(1)} s, .bin ${(r.binBytes / 1e6).toFixed(1)} MB\n`);
        if (!values.keep) for (const ext of [".bin", ".vec"]) rmSync(`${prefix}${ext}`, { force: true });
      }
    }
  }
}

console.log(`\nnode ${process.version}, ${threads} threads, epoch ${epoch}, input ${input}\n`);
console.log("| trainer | model | run | words/s | train s | wall s | WordSim-353 ρ | P@1 | .bin MB |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of results) {
  console.log(`| ${r.trainer} | ${r.model} | ${r.run} | ${Number.isFinite(r.wordsPerSecond) ? Math.round(r.wordsPerSecond) : "-"} | ${Number.isFinite(r.trainSeconds) ? r.trainSeconds.toFixed(1) : "-"} | ${r.wallSeconds.toFixed(1)} | ${r.spearman?.toFixed(3) ?? "-"} | ${r.precision?.toFixed(3) ?? "-"} | ${(r.binBytes / 1e6).toFixed(1)} |`);
}
if (neighbours.length > 0) {
  console.log("\n| trainer | misspelt word | 5 nearest words |\n|---|---|---|");
  for (const n of neighbours) console.log(n);
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else process.stderr.write(`kept ${dir}\n`);
