// NIfTI benchmark: header scans of many .nii.gz files, a full float32 read, a .nii.gz write and
// the staging header rewrite, each beside nibabel (Debian /usr/bin/python3) on the same files in
// the same run. Env: BENCH_FILES (header files, default 1000), BENCH_RUNS (timed runs after one
// warm-up, default 5), BENCH_DIR (scratch folder, default packages/nifti/.bench; the generated
// files are kept there for the next run). Needs the built package (npx tsup). Speed is
// reported, never asserted.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { AFFINE, phantom, SHAPE } from "./phantom.mjs";

const DIST = new URL("../dist/index.js", import.meta.url);
if (!existsSync(fileURLToPath(DIST))) throw new Error("build first: cd packages/nifti && npx tsup");
const lib = await import(DIST.href);

const FILES = Number(process.env.BENCH_FILES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DIR = process.env.BENCH_DIR ?? fileURLToPath(new URL("../.bench", import.meta.url));
const PYTHON = "/usr/bin/python3";

async function median(task) {
  await task();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await task();
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Generates the files once: one volume, and FILES header-scan volumes. */
async function prepare() {
  mkdirSync(join(DIR, "headers"), { recursive: true });
  const volume = join(DIR, "volume.nii.gz");
  const stamp = join(DIR, `ready-${FILES}`);
  const headerFiles = Array.from({ length: FILES }, (_, i) =>
    join(DIR, "headers", `sub-${String(i).padStart(4, "0")}.nii.gz`),
  );
  if (existsSync(stamp)) return { volume, headerFiles };
  console.log(`generating ${FILES} + 1 volumes of ${SHAPE.join("x")} int16 in ${DIR} ...`);
  // The timed volume: realistic noise, one gzip member (as nibabel and FSL write them).
  const image = lib.createImage({ data: phantom(60), shape: SHAPE, affine: AFFINE });
  await lib.writeImage(volume, image, { gzipMemberSize: Number.POSITIVE_INFINITY });
  // Header-scan volumes: each a complete, valid file. The header and the first slices form a
  // member of their own (unique per file); the rest of the data is one shared compressed member,
  // so generating 1,000 volumes does not take 1,000 compressions.
  const quiet = lib.createImage({ data: phantom(4), shape: SHAPE, affine: AFFINE });
  const bytes = new Uint8Array(quiet.data.buffer);
  const split = 256 * 256 * 2 * 4;
  const rest = gzipSync(bytes.subarray(split), { level: 1 });
  headerFiles.forEach((path, i) => {
    const header = lib.updateHeader(quiet.header, { descrip: `bench volume ${i}`, voxOffset: 352 });
    const prefix = new Uint8Array(352 + split);
    prefix.set(lib.encodeHeaderFields(header));
    prefix.set(bytes.subarray(0, split), 352);
    writeFileSync(path, Buffer.concat([gzipSync(prefix, { level: 1 }), rest]));
  });
  writeFileSync(stamp, "");
  return { volume, headerFiles };
}

async function ours({ volume, headerFiles }) {
  const out = join(DIR, "out");
  mkdirSync(out, { recursive: true });
  const image = await lib.readImage(volume);
  const pool = async (items, limit, task) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: limit }, async () => {
        while (next < items.length) await task(items[next++]);
      }),
    );
  };
  return {
    headers: await median(() => {
      for (const path of headerFiles) lib.readHeaderSync(path);
    }),
    headersAsync: await median(() => pool(headerFiles, 8, (path) => lib.readHeader(path))),
    readFloat32: await median(() => lib.readImage(volume, { float: "float32" })),
    readThenConvert: await median(async () =>
      (await lib.readImage(volume)).getFloatData("float32"),
    ),
    readOwn: await (async () => {
      // Our own output: indexed gzip members, inflated in parallel.
      await lib.writeImage(join(out, "own.nii.gz"), image);
      return median(() => lib.readImage(join(out, "own.nii.gz"), { float: "float32" }));
    })(),
    write: await median(() => lib.writeImage(join(out, "ours-write.nii.gz"), image)),
    writeNotDurable: await median(() =>
      lib.writeImage(join(out, "ours-write.nii.gz"), image, { durable: false }),
    ),
    writeOneMember: await median(() =>
      lib.writeImage(join(out, "ours-write.nii.gz"), image, {
        gzipMemberSize: Number.POSITIVE_INFINITY,
      }),
    ),
    hdrfix: await median(() =>
      lib.rewriteHeader(volume, join(out, "ours-hdrfix.nii.gz"), lib.alignQformToSform),
    ),
  };
}

function nibabel({ volume, headerFiles }) {
  const script = fileURLToPath(new URL("./nibabel_bench.py", import.meta.url));
  const out = join(DIR, "out");
  try {
    const args = JSON.stringify({
      volume,
      headerFiles,
      out,
      own: join(out, "own.nii.gz"),
      runs: RUNS,
    });
    return JSON.parse(execFileSync(PYTHON, [script, args], { maxBuffer: 1 << 20 }).toString());
  } catch (error) {
    console.log(`nibabel side skipped: ${String(error.message).split("\n")[0]}`);
    return undefined;
  }
}

const files = await prepare();
const mine = await ours(files);
const theirs = nibabel(files);
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(
  `\nnode ${process.version}, ${os.availableParallelism()} cores (${cpu}), ${RUNS} runs, medians`,
);
console.log(
  `volume ${SHAPE.join("x")} int16, ${(readFileSync(files.volume).length / 1e6).toFixed(1)} MB gzip; ${FILES} header files\n`,
);
const rows = [
  [`header of ${FILES} .nii.gz (sync)`, mine.headers, theirs?.headers],
  [`header of ${FILES} .nii.gz (async, 8 at a time)`, mine.headersAsync, theirs?.headers],
  ["read as float32 (convert while inflating)", mine.readFloat32, theirs?.readFloat32],
  ["read, then getFloatData(float32)", mine.readThenConvert, theirs?.readFloat32],
  ["read our own .nii.gz as float32 (parallel members)", mine.readOwn, theirs?.readOwn],
  ["write .nii.gz level 1 (parallel members, fsync)", mine.write, theirs?.write],
  ["write .nii.gz level 1 (parallel members, no fsync)", mine.writeNotDurable, theirs?.write],
  ["write .nii.gz level 1 (one member, fsync)", mine.writeOneMember, theirs?.write],
  ["hdrfix rewrite -> .nii.gz", mine.hdrfix, theirs?.hdrfix],
];
const pad = (text, width) => String(text).padEnd(width);
console.log(`${pad("task", 52)}${pad("ours", 11)}${pad("nibabel", 11)}speed-up`);
for (const [label, a, b] of rows) {
  const ms = (s) => (s === undefined ? "-" : `${(s * 1000).toFixed(1)} ms`);
  console.log(
    `${pad(label, 52)}${pad(ms(a), 11)}${pad(ms(b), 11)}${b ? `${(b / a).toFixed(1)}x` : "-"}`,
  );
}
if (theirs) console.log(`\n(nibabel ${theirs.nibabel}; same files, same run)`);
