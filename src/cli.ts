#!/usr/bin/env node
// The `embedding-kit` command: train word vectors, query them, run the demo. See `embedkit help`.
import { main } from "./cli/main.js";

process.exitCode = await main(process.argv.slice(2));
