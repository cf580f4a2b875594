// Writes lab/wiki-sample.txt, the real text the lab's Training view trains on by default: the first
// 700 words of each article of the repository's Wikipedia corpus (data/wiki-en-106/, CC BY-SA; see
// lab/wiki-sample-README.txt), one article per line. 700 words keep the file near 400 kB (about
// 145 kB gzipped, which is what it adds to the npm tarball) while every one of the 106 topics is in it.
//
//   node scripts/make-lab-sample.mjs [corpus.txt or corpus.txt.gz]
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join, resolve } from "node:path";

const WORDS = 700;
const root = resolve(import.meta.dirname, "..");
const from = process.argv[2] ?? join(root, "data", "wiki-en-106", "wiki-en-106.txt.gz");
const raw = readFileSync(from);
const text = (from.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
const lines = text.split("\n").filter((l) => l.trim() !== "");
if (lines.length !== 106) throw new Error(`${from}: expected 106 articles (lines), got ${lines.length}`);
const sample = lines.map((l) => l.trim().split(/\s+/).slice(0, WORDS).join(" ")).join("\n") + "\n";
const to = join(root, "lab", "wiki-sample.txt");
writeFileSync(`${to}.tmp`, sample);
renameSync(`${to}.tmp`, to);
const words = sample.split(/\s+/).filter(Boolean).length;
console.log(`${to}: ${lines.length} articles, ${words.toLocaleString("en")} words, ${sample.length.toLocaleString("en")} bytes`);
