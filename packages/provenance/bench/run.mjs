// Provenance benchmark: one record for a module with 12 inputs of ~16.8 MB (hashing dominated),
// beside the original's figures (../shared/conformance/radifox/BASELINE.md, same machine type)
// and coreutils sha256sum on the same files in the same run. Env: BENCH_RUNS (default 5),
// BENCH_DIR (default packages/provenance/.bench). Needs the built package (npx tsup). Speed is
// reported, never asserted.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = new URL("../dist/index.js", import.meta.url);
if (!existsSync(fileURLToPath(DIST)))
  throw new Error("build first: cd packages/provenance && npx tsup");
const lib = await import(DIST.href);

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DIR = process.env.BENCH_DIR ?? fileURLToPath(new URL("../.bench", import.meta.url));
const FILES = 12;
const SIZE = 16_800_000;
// The original's figures (BASELINE.md rows v and vi).
const ORIGINAL = { record: 0.132, hashing: 0.13, sha256sum: 0.559 };

function prepare() {
  const session = join(DIR, "study", "BENCH-0001", "1");
  mkdirSync(join(session, "nii"), { recursive: true });
  mkdirSync(join(session, "proc"), { recursive: true });
  const inputs = [];
  let seed = 12345;
  for (let i = 0; i < FILES; i++) {
    const path = join(
      session,
      "nii",
      `BENCH-0001_1_01-${String(i + 1).padStart(2, "0")}_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE.nii.gz`,
    );
    if (!existsSync(path)) {
      const data = Buffer.allocUnsafe(SIZE);
      for (let k = 0; k < SIZE; k += 4) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        data.writeUInt32LE(seed, k);
      }
      writeFileSync(path, data);
    }
    inputs.push(path);
  }
  return { session, inputs };
}

async function median(task, reset) {
  await task();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await reset?.();
    const start = performance.now();
    await task();
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const { session, inputs } = prepare();
const output = join(session, "proc", "bench_out.txt");
const WORK_MS = 150;
const defineBench = (workMs) =>
  lib.defineModule({
    name: "bench",
    version: "1.0",
    cli: () => Object.fromEntries(inputs.map((path, i) => [`in${i + 1}`, lib.filePath(path)])),
    run: async () => {
      // Stands for the module's own work (waiting, not computing: a tool in another process).
      if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, workMs));
      writeFileSync(output, "result\n");
      return { out: lib.filePath(output) };
    },
  });
let module = defineBench(0);
const labels = {
  "ci.image": "bench",
  "ci.tag": "1",
  "ci.commit": "0000000000",
  "ci.builder": "bench",
  "ci.timestamp": "2026-01-01T00:00:00Z",
  "ci.digest": "sha256:0",
};
const runModule = (durable) => () =>
  module.execute([], {
    container: { labels, labelsFile: null },
    fqdn: "bench.local",
    qa: false,
    recordFormat: "radifox",
    durable,
  });
// Every timed run starts without hashing workers, as a fresh process would.
const cold = () => lib.closeHashPool();

const record = await median(runModule(false), cold);
const recordDurable = await median(runModule(true), cold);
module = defineBench(WORK_MS);
const withWork = (await median(runModule(false), cold)) - WORK_MS / 1000;
module = defineBench(0);
const hashing = await median(() => lib.hashFiles(inputs, false), cold);
const sha256sum = await median(() => execFileSync("sha256sum", inputs));
await lib.closeHashPool();

const row = (label, ours, original) =>
  `${label.padEnd(62)} ${(ours * 1000).toFixed(1).padStart(8)} ms   original ${(original * 1000).toFixed(0).padStart(4)} ms   ${(original / ours).toFixed(2)}x`;
console.log(
  `provenance benchmark: ${FILES} inputs x ${(SIZE / 1e6).toFixed(1)} MB, median of ${RUNS} (2-core shared machine)`,
);
console.log(row("record, whole module run (no fsync, as original)", record, ORIGINAL.record));
console.log(row("record, whole module run (fsync records)", recordDurable, ORIGINAL.record));
console.log(
  row(
    `record cost on top of a ${WORK_MS} ms run (inputs hashed during it)`,
    withWork,
    ORIGINAL.record,
  ),
);
console.log(row("hashing alone (12 files, parallel)", hashing, ORIGINAL.hashing));
console.log(row("coreutils sha256sum, same files, this run", sha256sum, ORIGINAL.sha256sum));
console.log(`speed-up vs sha256sum measured now: ${(sha256sum / record).toFixed(2)}x`);
