// QA image benchmark: createQaImage end to end (read .nii.gz, resample, montage, scale, PNG,
// atomic write) on a 256x256x176 int16 smooth-noise volume at 1 mm, with and without a label
// overlay, beside the original's figure from the baseline (radifox v2.2.0, same kind of
// volume, same kind of machine). Env: BENCH_RUNS (timed runs after one warm-up, default 5),
// BENCH_DIR (scratch folder, default packages/qa/.bench; the generated volumes are kept there
// for the next run). Needs the built package (npx tsup). Speed is reported, never asserted.
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = new URL("../dist/index.js", import.meta.url);
if (!existsSync(fileURLToPath(DIST))) throw new Error("build first: cd packages/qa && npx tsup");
const qa = await import(DIST.href);
const nifti = await import("@radifox/nifti");

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DIR = process.env.BENCH_DIR ?? fileURLToPath(new URL("../.bench", import.meta.url));
const SHAPE = [256, 256, 176];
// LAS, 1 mm: the original keeps the grid (every axis maps 1:1) but still builds it.
const AFFINE = [
  [-1, 0, 0, 128],
  [0, 1, 0, -128],
  [0, 0, 1, -88],
  [0, 0, 0, 1],
];

/** The original's figure: BASELINE.md beside the vectors, else the number it gave. */
function baselineSeconds() {
  const file = fileURLToPath(
    new URL("../../../../shared/conformance/radifox/BASELINE.md", import.meta.url),
  );
  if (existsSync(file)) {
    const row = readFileSync(file, "utf8")
      .split("\n")
      .find((line) => line.includes("create_qa_image"));
    const match = row?.match(/\*\*([\d.]+) s\*\*/);
    if (match)
      return { seconds: Number(match[1]), source: "shared/conformance/radifox/BASELINE.md" };
  }
  return { seconds: 0.64, source: "BASELINE.md (radifox v2.2.0, benchmark iii), not found here" };
}

/** A seeded generator (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Smooth noise: a coarse random field, trilinearly upsampled, plus fine noise. */
function smoothNoise(seed) {
  const next = random(seed);
  const [nx, ny, nz] = SHAPE;
  const step = 16;
  const [cx, cy, cz] = SHAPE.map((n) => Math.ceil(n / step) + 1);
  const coarse = Float64Array.from({ length: cx * cy * cz }, () => next());
  const field = new Float32Array(nx * ny * nz);
  let o = 0;
  for (let z = 0; z < nz; z++) {
    const fz = z / step;
    const z0 = Math.floor(fz);
    const tz = fz - z0;
    for (let y = 0; y < ny; y++) {
      const fy = y / step;
      const y0 = Math.floor(fy);
      const ty = fy - y0;
      for (let x = 0; x < nx; x++) {
        const fx = x / step;
        const x0 = Math.floor(fx);
        const tx = fx - x0;
        let v = 0;
        for (let dz = 0; dz < 2; dz++) {
          for (let dy = 0; dy < 2; dy++) {
            for (let dx = 0; dx < 2; dx++) {
              const w = (dx ? tx : 1 - tx) * (dy ? ty : 1 - ty) * (dz ? tz : 1 - tz);
              v += w * coarse[x0 + dx + cx * (y0 + dy + cy * (z0 + dz))];
            }
          }
        }
        field[o++] = v;
      }
    }
  }
  return { field, next };
}

async function prepare() {
  mkdirSync(DIR, { recursive: true });
  const volume = join(DIR, "volume.nii.gz");
  const labels = join(DIR, "labels.nii.gz");
  const stamp = join(DIR, "qa-ready-1");
  if (existsSync(stamp) && existsSync(volume) && existsSync(labels)) return { volume, labels };
  console.log(`generating ${SHAPE.join("x")} int16 smooth noise and labels in ${DIR} ...`);
  const { field, next } = smoothNoise(60);
  const data = Int16Array.from(field, (v) => Math.round(v * 1000 + next() * 60));
  const bands = [0, 4, 11, 17, 41, 53, 0];
  const label = Uint8Array.from(field, (v) => bands[Math.min(6, Math.floor(v * 7))]);
  // One gzip member, as nibabel and FSL write them.
  const options = { gzipMemberSize: Number.POSITIVE_INFINITY };
  await nifti.writeImage(
    volume,
    nifti.createImage({ data, shape: SHAPE, affine: AFFINE }),
    options,
  );
  await nifti.writeImage(
    labels,
    nifti.createImage({ data: label, shape: SHAPE, affine: AFFINE }),
    options,
  );
  (await import("node:fs")).writeFileSync(stamp, "");
  return { volume, labels };
}

/** Median of RUNS timed runs; every task was warmed up (JIT) before the first is timed. */
async function median(task) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const { volume, labels } = await prepare();
const out = join(DIR, "out");
mkdirSync(out, { recursive: true });
const grey = join(out, "qa.png");
const coloured = join(out, "qa-overlay.png");

const { pixels, info } = await qa.renderQaImage(volume);
const tasks = [
  ["createQaImage (grey)", () => qa.createQaImage(volume, grey)],
  [
    "createQaImage (overlay, brain_color)",
    () => qa.createQaImage(volume, coloured, { overlay: labels, lut: "brain_color" }),
  ],
  ["  of which: readImage (raw int16)", () => nifti.readImage(volume)],
  ["  of which: renderQaImage (read + pixels)", () => qa.renderQaImage(volume)],
  [
    "  of which: encodePng (level 1)",
    () => qa.encodePng(pixels, info.width, info.height, info.mode),
  ],
];
for (let i = 0; i < 2; i++) for (const [, task] of tasks) await task();
const rows = [];
for (const [label, task] of tasks) rows.push([label, await median(task)]);

const base = baselineSeconds();
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(
  `\nnode ${process.version}, ${os.availableParallelism()} cores (${cpu}), ${RUNS} runs, medians`,
);
console.log(
  `volume ${SHAPE.join("x")} int16 LAS 1 mm, ${(statSync(volume).size / 1e6).toFixed(1)} MB gzip; ` +
    `PNG ${info.width}x${info.height} ${info.mode}, ${(statSync(grey).size / 1e3).toFixed(0)} kB\n`,
);
const pad = (text, width) => String(text).padEnd(width);
console.log(`${pad("task", 44)}${pad("ours", 12)}${pad("original", 12)}speed-up`);
for (const [label, ms] of rows) {
  const original = label.startsWith("createQaImage (grey)") ? base.seconds * 1000 : undefined;
  console.log(
    `${pad(label, 44)}${pad(`${ms.toFixed(1)} ms`, 12)}${pad(original ? `${original.toFixed(0)} ms` : "-", 12)}` +
      `${original ? `${(original / ms).toFixed(1)}x` : "-"}`,
  );
}
console.log(`\n(original: create_qa_image ${base.seconds} s, from ${base.source})`);
