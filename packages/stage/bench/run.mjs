// Staging benchmark: one generated subject of 3 sessions x 12 images of 256x256x176 int16 (the
// original's benchmark subject, BASELINE.md row iv) staged with --keep-best-res and the README's
// filters, each run in a fresh process: wall time and peak memory with one session at a time,
// with --jobs 2, and with --jobs 1 pinned to one CPU (taskset), beside the original's 28.95 s /
// 961 MB. Env: BENCH_RUNS (default 3), BENCH_DIR (default packages/stage/.bench), BENCH_SHAPE
// (default 256x256x176). Needs the built packages. Speed is reported, never asserted.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateStudy } from "@radifox/synth";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DIR = process.env.BENCH_DIR ?? fileURLToPath(new URL("../.bench", import.meta.url));
const SHAPE = (process.env.BENCH_SHAPE ?? "256x256x176").split("x").map(Number);
const ORIGINAL = { seconds: 28.95, maxRssMB: 961 };
const once = fileURLToPath(new URL("stage-once.mjs", import.meta.url));

const root = join(DIR, `study-${SHAPE.join("x")}`);
const subject = join(root, "BENCH-0001");
if (!existsSync(join(subject, "3", "nii"))) {
  rmSync(root, { recursive: true, force: true });
  const start = performance.now();
  await generateStudy({ root, subjects: 1, sessions: 3, shape: SHAPE, seed: 7 });
  console.log(`generated ${subject} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

/** Removes what a staging run wrote, so the next run starts from the raw sessions. */
function reset() {
  for (const session of readdirSync(subject)) {
    const dir = join(subject, session);
    for (const name of readdirSync(dir)) {
      if (name === "nii") continue;
      rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
}

function measure(label, prefix, jobs) {
  const runs = [];
  for (let i = 0; i < RUNS + 1; i++) {
    reset();
    const [command, ...before] = [...prefix, process.execPath];
    const out = execFileSync(command, [...before, once, subject, String(jobs)], {
      encoding: "utf8",
    });
    if (i > 0) runs.push(JSON.parse(out)); // the first run warms the page cache
  }
  runs.sort((a, b) => a.seconds - b.seconds);
  const median = runs[Math.floor(runs.length / 2)];
  const peak = Math.max(...runs.map((r) => r.maxRssMB));
  console.log(
    `${label.padEnd(28)} ${median.seconds.toFixed(2).padStart(6)} s  (${(ORIGINAL.seconds / median.seconds).toFixed(1)}x)   peak ${peak.toFixed(0).padStart(4)} MB   [runs ${runs.map((r) => r.seconds.toFixed(2)).join(", ")}; ${median.staged} staged, ${median.qa} QA, ${median.records} records]`,
  );
}

console.log(
  `staging 1 subject x 3 sessions x 12 images of ${SHAPE.join("x")} int16 (median of ${RUNS}; original ${ORIGINAL.seconds} s, ${ORIGINAL.maxRssMB} MB)`,
);
measure("--jobs 1", [], 1);
measure("--jobs 2", [], 2);
if (existsSync("/usr/bin/taskset"))
  measure("--jobs 1, one CPU (taskset)", ["/usr/bin/taskset", "-c", "0"], 1);
reset();
