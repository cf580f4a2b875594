// Copies the embedding lab (lab/) into dist/lab/, where `embedkit lab` serves it from the installed
// package: the page (.html, .css, .js, .svg) and the Training view's text sample with its licence note
// (.txt). The files are copied as they are, except lab/embedkit.js, whose one import of the
// library points at ../dist/index.js in the repository and at ../index.js inside dist/.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const from = join(root, "lab");
const to = join(root, "dist", "lab");
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (!/\.(html|js|css|svg|txt)$/.test(name)) continue;
  if (name === "embedkit.js") {
    writeFileSync(join(to, name), '// The lab\'s one import of the library (copied from lab/embedkit.js by the build).\nexport * from "../index.js";\n');
  } else {
    copyFileSync(join(from, name), join(to, name));
  }
}
