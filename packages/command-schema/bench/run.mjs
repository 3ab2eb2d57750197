// Validation speed over the shared fixtures: every command file read and validated (XNAT's
// checks and the lint) in each of the three modes, in one process. Needs the built package
// (npx tsup). Env: BENCH_RUNS (default 20), XCS_CONFORMANCE_DIR. Speed is reported, never asserted.
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkCommand, READ_MODES } from "../dist/index.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const root =
  process.env.XCS_CONFORMANCE_DIR ??
  fileURLToPath(new URL("../../../../shared/conformance/xcs", import.meta.url));
const dirs = ["container-service", "docker-images"].map((dir) => join(root, "fixtures", dir));
const texts = dirs.flatMap((dir) =>
  readdirSync(dir).map((name) => readFileSync(join(dir, name), "utf8")),
);
const bytes = texts.reduce((sum, text) => sum + text.length, 0);

function once() {
  let findings = 0;
  for (const mode of READ_MODES) {
    for (const text of texts) {
      const result = checkCommand(text, { mode, lint: true });
      findings += result.findings.length;
    }
  }
  return findings;
}

once(); // warm-up
const times = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  once();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const checks = texts.length * READ_MODES.length;
console.log(`node ${process.version}, ${cpus().length} cores; median of ${RUNS} runs`);
console.log(
  `${texts.length} fixture files (${(bytes / 1024).toFixed(0)} KiB) x ${READ_MODES.length} modes, with lint: ` +
    `${median.toFixed(1)} ms -> ${Math.round((checks / median) * 1000)} files/s`,
);
