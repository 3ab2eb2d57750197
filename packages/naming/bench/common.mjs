// Shared pieces of the benchmarks: the built library, the image types and filters, timing.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const DIST = new URL("../dist/index.js", import.meta.url);
if (!existsSync(fileURLToPath(DIST))) {
  throw new Error(
    `${fileURLToPath(DIST)} is missing: build the package first (cd packages/naming && npx tsup)`,
  );
}
/** The built package (`../dist/index.js`). */
export const lib = await import(DIST.href);

/** Figures of the original (Python RADIFOX v2.2.0), seconds, from its BASELINE.md. */
export const ORIGINAL = {
  names: { construct: 2.04, properties: 0.44, filters: 0.86, total: 3.29, matches: 132_000 },
  tree: { glob: 0.99, globFilters: 0.43, globTotal: 1.42, recursive: 1.04 },
};

/**
 * Ten image types of a RADIFOX study. `extras` may be a function of a counter so that the
 * MEMPRAGE echoes vary (ECHO1..ECHO4) while staying one type.
 */
export const IMAGE_TYPES = [
  { label: "T1 3D PRE", type: "BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE", extras: () => [] },
  { label: "T1 3D POST", type: "BRAIN-T1-IRFSPGR-3D-SAGITTAL-POST", extras: () => [] },
  { label: "T1 2D POST", type: "BRAIN-T1-SE-2D-AXIAL-POST", extras: () => [] },
  { label: "T2 2D", type: "BRAIN-T2-FSE-2D-AXIAL-PRE", extras: () => [] },
  { label: "FLAIR 3D", type: "BRAIN-FLAIR-IRFSE-3D-SAGITTAL-PRE", extras: () => [] },
  { label: "PD 2D", type: "BRAIN-PD-FSE-2D-AXIAL-PRE", extras: () => [] },
  {
    label: "MEMPRAGE echo",
    type: "BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE",
    extras: (k) => [`ECHO${(k % 4) + 1}`],
  },
  { label: "DIFF ND", type: "BRAIN-DIFF-EPI-2D-AXIAL-PRE", extras: () => ["ND"] },
  { label: "SWI", type: "BRAIN-SWI-GRE-3D-AXIAL-PRE", extras: () => [] },
  { label: "T2 ECHO1-MAG", type: "BRAIN-T2-FSE-2D-AXIAL-PRE", extras: () => ["ECHO1", "MAG"] },
].map((entry) => {
  const [bodypart, modality, technique, acqdim, orientation, excontrast] = entry.type.split("-");
  return {
    ...entry,
    components: { bodypart, modality, technique, acqdim, orientation, excontrast },
  };
});

/** The five tag variants of the names benchmark. */
export const TAG_VARIANTS = [[], ["n4"], ["n4", "reg"], ["hdrfix"], ["espreso-smore"]];

/** The README's staging filters: five `--image-types` and four `--reg-filters`. */
export const FILTER_STRINGS = [
  "bodypart=BRAIN;modality=T1;excontrast=PRE",
  "bodypart=BRAIN;modality=T1;excontrast=POST",
  "bodypart=BRAIN;modality=T2",
  "bodypart=BRAIN;modality=PD",
  "bodypart=BRAIN;modality=FLAIR",
  "bodypart=BRAIN;modality=T1;acqdim=3D;excontrast=PRE",
  "bodypart=BRAIN;modality=T1;acqdim=3D;excontrast=POST",
  "bodypart=BRAIN;acqdim=3D",
  "bodypart=BRAIN;acqdim=2D",
];

/** `formatName` input for one image. */
export function nameInput(subjectId, sessionId, series, typeIndex, counter, tags, ext) {
  const t = IMAGE_TYPES[typeIndex];
  return {
    subjectId,
    sessionId,
    studyNumber: 1,
    seriesNumber: series,
    ...t.components,
    extras: t.extras(counter),
    tags,
    ext,
  };
}

/**
 * How many of `FILTER_STRINGS` an image of type `typeIndex` matches, worked out without the
 * library (every filter here is `key=value` pairs on single components), to check its answers.
 */
export function expectedMatches(typeIndex) {
  const { components } = IMAGE_TYPES[typeIndex];
  let count = 0;
  for (const text of FILTER_STRINGS) {
    const pairs = text.split(";").map((pair) => pair.split("="));
    if (pairs.every(([key, value]) => components[key] === value)) count++;
  }
  return count;
}

/** The 9 filters, parsed by the library. */
export function parseFilters() {
  return FILTER_STRINGS.map((text) => lib.ImageFilter.fromString(text));
}

/** Run all filters over `images`; returns the total number of matches. */
export function applyFilters(filters, images) {
  let matches = 0;
  for (const filter of filters) matches += filter.filter(images).length;
  return matches;
}

/** Seconds since `start` (a `performance.now()` value). */
export const since = (start) => (performance.now() - start) / 1000;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Timed runs after the untimed warm-up: `BENCH_RUNS` (default 5). */
export function benchRuns() {
  const raw = process.env.BENCH_RUNS;
  if (raw === undefined || raw === "") return 5;
  const runs = Number(raw);
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new Error(`BENCH_RUNS must be a positive integer, not "${raw}"`);
  }
  return runs;
}

/**
 * Call `once()` (which returns `{ seconds: {step: s}, ...extra }`) one untimed time and then
 * `runs` times; returns the median of every step and the extra fields of the last run.
 */
export async function measure(runs, once, onRun) {
  await once(-1);
  const samples = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = await once(i);
    samples.push(last.seconds);
    onRun?.(i, last);
  }
  const seconds = {};
  for (const key of Object.keys(samples[0])) seconds[key] = median(samples.map((s) => s[key]));
  return { ...last, seconds, samples };
}

export const fmt = (seconds) => `${seconds.toFixed(3)} s`;

export function machineLine() {
  const cpus = os.cpus();
  return (
    `machine: ${cpus.length} cores (${cpus[0]?.model ?? "unknown CPU"}), Node ${process.version}, ` +
    `${os.platform()} ${os.release()}; shared machine, numbers vary from run to run. ` +
    `Original: Python 3.11 on 2 vCPUs (AMD EPYC Zen 4).`
  );
}

/** Whether the module at `url` is the script Node was started with. */
export function isMain(url) {
  return process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
}

/** Print a table of rows (arrays of strings); the first row is the header. */
export function printTable(rows, log = console.log) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  const line = (row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  log(line(rows[0]));
  log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows.slice(1)) log(line(row));
}

const scratchDirs = new Set();
let cleanupInstalled = false;

/** Remove a scratch folder made by `makeScratch` (also done at exit and on Ctrl-C). */
export function removeScratch(dir) {
  rmSync(dir, { recursive: true, force: true });
  scratchDirs.delete(dir);
}

/** A new empty folder under `parent` (default `BENCH_DIR` or `os.tmpdir()`), removed at exit. */
export function makeScratch(prefix, parent = process.env.BENCH_DIR || os.tmpdir()) {
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.on("exit", () => {
      for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
    });
    for (const signal of ["SIGINT", "SIGTERM"]) {
      process.on(signal, () => process.exit(128 + os.constants.signals[signal]));
    }
  }
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(resolve(parent), prefix));
  scratchDirs.add(dir);
  return dir;
}
