// `embedkit fasttext <command>`: fastText's command line, with its command and flag names
// (single-dash as fastText spells them; double-dash works too) and its output formats.
import { readFileSync } from "node:fs";
import { FASTTEXT_SETTINGS, type FastTextOptions } from "../fasttext/args.js";
import type { FastText } from "../fasttext/model.js";
import { trainFastTextThreaded } from "../node/fasttext-threads.js";
import { loadFastText, saveFastText } from "../node/fasttext-files.js";
import { writeFileAtomic } from "../node/files.js";
import { UsageError } from "./args.js";
import type { CliIO } from "./train.js";

export const FASTTEXT_USAGE = `  embedkit fasttext skipgram|cbow|supervised -input FILE -output PREFIX [-dim 100] [-epoch 5] ...
      Train as fastText does (its flags and defaults; \`embedkit fasttext help\` lists them) and write
      PREFIX.bin (fastText's .bin, which the fastText CLI reads) and PREFIX.vec (word2vec text).
  embedkit fasttext predict|predict-prob MODEL.bin FILE|- [k] [threshold]
  embedkit fasttext test|test-label MODEL.bin FILE|- [k] [threshold]
  embedkit fasttext print-word-vectors|print-sentence-vectors MODEL.bin   (words / lines on stdin)
  embedkit fasttext nn MODEL.bin [k]                                      (query words on stdin)
  embedkit fasttext analogies MODEL.bin [k]                               (A B C triples on stdin)`;

function help(): string {
  const rows = FASTTEXT_SETTINGS.filter((s) => s.name !== "model").map((s) => {
    const def = s.sup !== undefined ? `${s.def}; supervised ${s.sup}` : `${s.def}`;
    return `  -${s.name.padEnd(15)} ${s.help} [${def}]`;
  });
  return `Usage:\n${FASTTEXT_USAGE}\n\nTraining flags:\n  -input           training file path\n  -output          output file prefix\n${rows.join("\n")}\n  -verbose         0: quiet [2]\n`;
}

/** %g with `p` significant digits, as C++ streams print floats (fastText's vectors: 5; its probabilities: 6). */
export function formatG(x: number, p: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const e = x.toExponential(p - 1);
  const exp = Number(e.slice(e.indexOf("e") + 1));
  if (exp < -4 || exp >= p) {
    const [m, ex] = e.split("e");
    const mant = m.includes(".") ? m.replace(/\.?0+$/, "") : m;
    const n = Number(ex);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  const fixed = x.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

function vectorLine(v: Float32Array): string {
  let s = "";
  for (let j = 0; j < v.length; j++) s += formatG(v[j], 5) + " ";
  return s;
}

function readInput(path: string): string {
  return readFileSync(path === "-" ? 0 : path, "utf8");
}

function intArg(command: string, name: string, v: string | undefined, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`embedkit fasttext ${command}: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

function numArg(command: string, name: string, v: string | undefined, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`embedkit fasttext ${command}: ${name} must be a number in [0, 1], got ${JSON.stringify(v)}`);
  return n;
}

/** fastText's training flags: -name value pairs (or --name), checked by name, then by the trainer. */
function trainFlags(command: string, args: string[]): { input: string; output: string; options: FastTextOptions; verbose: number } {
  const options: Record<string, unknown> = { model: command };
  let input = "", output = "", verbose = 2;
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    if (!flag.startsWith("-")) throw new UsageError(`embedkit fasttext ${command}: expected a flag, got ${JSON.stringify(flag)}`);
    const name = flag.replace(/^--?/, "");
    const value = args[i + 1];
    if (value === undefined) throw new UsageError(`embedkit fasttext ${command}: ${flag} is missing its value`);
    const setting = FASTTEXT_SETTINGS.find((s) => s.name === name);
    if (name === "input") input = value;
    else if (name === "output") output = value;
    else if (name === "verbose") verbose = /^\d+$/.test(value) ? Number(value) : intArg(command, flag, value, 2);
    else if (setting === undefined || name === "model") throw new UsageError(`embedkit fasttext ${command}: unknown flag ${JSON.stringify(flag)}`);
    else if (name === "loss" || name === "label") options[name] = value === "one-vs-all" ? "ova" : value;
    else {
      const n = Number(value);
      if (value.trim() === "" || Number.isNaN(n)) throw new UsageError(`embedkit fasttext ${command}: ${flag} must be a number, got ${JSON.stringify(value)}`);
      options[name] = n;
    }
  }
  if (input === "" || output === "") throw new UsageError(`embedkit fasttext ${command}: -input and -output are required`);
  return { input, output, options: options as FastTextOptions, verbose };
}

async function train(command: string, args: string[], io: CliIO): Promise<number> {
  const { input, output, options, verbose } = trainFlags(command, args);
  let model: FastText & { stats: { seconds: number; wordsPerSecond: number; loss: number; threads: number; tokens: number } };
  try {
    model = await trainFastTextThreaded(input, options);
  } catch (e) {
    const m = (e as Error).message;
    // the trainer's option names are the flags
    if (/^trainFastTextThreaded: (unknown option|options\.)/.test(m)) throw new UsageError(`embedkit fasttext ${command}: ${m.replace(/^trainFastTextThreaded: /, "").replace(/options\.(\w+)/g, "-$1")}`);
    throw e;
  }
  const { stats, dict } = model;
  if (verbose > 0) {
    io.err(`Read ${Math.floor(dict.ntokens / 1e6)}M words\nNumber of words:  ${dict.nwords}\nNumber of labels: ${dict.nlabels}\n`);
    io.err(`Trained: ${stats.tokens} tokens in ${stats.seconds.toFixed(2)} s on ${stats.threads} thread(s), words/sec/thread: ${Math.round(stats.wordsPerSecond / stats.threads)} avg.loss: ${stats.loss.toFixed(6)}\n`);
  }
  saveFastText(`${output}.bin`, model);
  const words = model.words;
  writeFileAtomic(`${output}.vec`, (function* () {
    yield `${words.length} ${model.dim}\n`;
    for (const w of words) yield `${w} ${vectorLine(model.getWordVector(w))}\n`;
  })(), "embedkit fasttext");
  return 0;
}

/** Runs `embedkit fasttext ...`; returns the exit code. */
export async function fasttext(argv: string[], io: CliIO, readStdin: () => string = () => readFileSync(0, "utf8")): Promise<number> {
  const [command, ...args] = argv;
  const pos = (n: number, what: string) => {
    if (args[n] === undefined) throw new UsageError(`embedkit fasttext ${command}: missing ${what}`);
    return args[n];
  };
  switch (command) {
    case "skipgram":
    case "cbow":
    case "supervised":
      return train(command, args, io);
    case "predict":
    case "predict-prob": {
      const model = loadFastText(pos(0, "MODEL"));
      const input = pos(1, "FILE (or -)");
      const k = intArg(command, "k", args[2], 1);
      const threshold = numArg(command, "threshold", args[3], 0);
      const text = input === "-" ? readStdin() : readInput(input);
      const lines = text.split("\n");
      if (lines[lines.length - 1] === "") lines.pop();
      let out = "";
      for (const line of lines) {
        out += model.predict(line, k, threshold).map((p) => (command === "predict" ? p.label : `${p.label} ${formatG(p.probability, 6)}`)).join(" ") + "\n";
      }
      io.out(out);
      return 0;
    }
    case "test":
    case "test-label": {
      const model = loadFastText(pos(0, "MODEL"));
      const input = pos(1, "FILE (or -)");
      const k = intArg(command, "k", args[2], 1);
      const threshold = numArg(command, "threshold", args[3], 0);
      const r = model.test(input === "-" ? readStdin() : readInput(input), k, threshold);
      let out = "";
      if (command === "test-label") {
        const f = (x: number) => (Number.isFinite(x) ? x.toFixed(6) : "--------");
        for (const l of r.perLabel) out += `F1-Score : ${f(l.f1)}  Precision : ${f(l.precision)}  Recall : ${f(l.recall)}   ${l.label}\n`;
      }
      out += `N\t${r.n}\nP@${k}\t${formatG(r.precision, 3)}\nR@${k}\t${formatG(r.recall, 3)}\n`;
      io.out(out);
      return 0;
    }
    case "print-word-vectors": {
      const model = loadFastText(pos(0, "MODEL"));
      let out = "";
      for (const w of readStdin().split(/[ \n\r\t\v\f]+/)) if (w !== "") out += `${w} ${vectorLine(model.getWordVector(w))}\n`;
      io.out(out);
      return 0;
    }
    case "print-sentence-vectors": {
      const model = loadFastText(pos(0, "MODEL"));
      const lines = readStdin().split("\n");
      if (lines[lines.length - 1] === "") lines.pop();
      io.out(lines.map((l) => `${vectorLine(model.getSentenceVector(l))}\n`).join(""));
      return 0;
    }
    case "nn":
    case "analogies": {
      const model = loadFastText(pos(0, "MODEL"));
      const k = intArg(command, "k", args[1], 10);
      const words = readStdin().split(/[ \n\r\t\v\f]+/).filter((w) => w !== "");
      let out = "";
      if (command === "nn") {
        for (const w of words) for (const n of model.nearestNeighbors(w, k)) out += `${n.word} ${formatG(n.similarity, 6)}\n`;
      } else {
        for (let i = 0; i + 2 < words.length; i += 3) for (const n of model.analogies(words[i], words[i + 1], words[i + 2], k)) out += `${n.word} ${formatG(n.similarity, 6)}\n`;
      }
      io.out(out);
      return 0;
    }
    case "help":
    case undefined:
      io.out(help());
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`embedkit fasttext: unknown command ${JSON.stringify(command)}`);
  }
}
