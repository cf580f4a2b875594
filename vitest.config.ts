import { defineConfig } from "vitest/config";

// Timeouts guard against hangs, not slowness: the suite runs on shared two-core machines where a
// test that spawns the CLI, installs a runtime on first use or starts Chromium can take well over
// vitest's default 5 s. Speed is measured by the benchmarks in bench/, never by the tests.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
