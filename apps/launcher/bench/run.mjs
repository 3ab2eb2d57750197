// Times xcs validate over the conformance fixtures: the built command end to end
// (`node dist/bin.js validate <fixtures> --json`, process start included) and validatePaths
// in-process. Needs the build: npx tsup (or pnpm build). Env: BENCH_RUNS (timed runs after one
// warm-up, default 5), XCS_CONFORMANCE_DIR (default ../shared/conformance/xcs beside the repo).
// Prints medians; the speed is reported, never asserted.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "..", "dist", "bin.js");
const conformance = resolve(
  process.env.XCS_CONFORMANCE_DIR ?? join(here, "../../../../shared/conformance/xcs"),
);
const fixtures = join(conformance, "fixtures");
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function time(runOnce) {
  runOnce(); // warm-up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    runOnce();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function timeAsync(runOnce) {
  await runOnce();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await runOnce();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function main() {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (npx tsup)`);
  if (!existsSync(fixtures)) throw new Error(`${fixtures} not found (set XCS_CONFORMANCE_DIR)`);
  const { validatePaths } = await import(join(here, "..", "dist", "index.js"));
  console.log(
    `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}; ` +
      `${runs} timed runs after 1 warm-up, medians`,
  );

  let files = 0;
  let commands = 0;
  const endToEnd = time(() => {
    const result = spawnSync(process.execPath, [bin, "validate", fixtures, "--json"], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    if (result.status === null || result.status > 2) {
      throw new Error(`xcs validate failed (${result.status ?? result.signal}): ${result.stderr}`);
    }
    const summary = JSON.parse(result.stdout).summary;
    files = summary.files;
    commands = summary.commands;
  });
  const inProcess = await timeAsync(() => validatePaths([fixtures]));
  const inProcessLint = await timeAsync(() => validatePaths([fixtures], { lint: true }));

  const row = (label, ms) =>
    `${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${((files / ms) * 1000)
      .toFixed(0)
      .padStart(7)} files/s`;
  console.log(`${fixtures}: ${files} files, ${commands} commands`);
  console.log(row("node dist/bin.js validate <dir> --json", endToEnd));
  console.log(row("validatePaths([dir]) in-process", inProcess));
  console.log(row("validatePaths([dir], { lint: true })", inProcessLint));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
