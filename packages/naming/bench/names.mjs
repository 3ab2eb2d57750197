// Benchmark (i): parse and filter 60,000 names, no files (paths under a folder that does not
// exist). 1,000 subjects x 3 sessions x 20 names; the 20 names of a session are the 10 image
// types twice, with the 5 tag variants spread over them (untagged in nii/, tagged in proc/).
// Timed: (a) 60,000 `new ImageFile()`, (b) reading 16 name properties of each, (c) the 9 README
// staging filters over fresh ImageFiles. Also (not in the total) `ImageFile.real()`, which
// lstat()s every path component as the original's `Path.resolve()` does.
//
// Run alone: node bench/names.mjs   (BENCH_RUNS=5, BENCH_DIR=os.tmpdir())
import { existsSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import {
  applyFilters,
  benchRuns,
  expectedMatches,
  fmt,
  IMAGE_TYPES,
  isMain,
  lib,
  machineLine,
  measure,
  nameInput,
  ORIGINAL,
  parseFilters,
  since,
  TAG_VARIANTS,
} from "./common.mjs";

const { ImageFile, formatName } = lib;

export const SUBJECTS = 1000;
export const SESSIONS = 3;
export const NAMES_PER_SESSION = 20;

/** The 60,000 paths, and what the filters must find in them. */
export function buildNames(root) {
  const paths = [];
  const expected = [];
  let matches = 0;
  for (let s = 0; s < SUBJECTS; s++) {
    const subject = `BENCH-${String(s + 1).padStart(4, "0")}`;
    for (let e = 0; e < SESSIONS; e++) {
      const session = String(e + 1);
      for (let i = 0; i < NAMES_PER_SESSION; i++) {
        const typeIndex = i % IMAGE_TYPES.length;
        const half = Math.floor(i / IMAGE_TYPES.length);
        const tags = TAG_VARIANTS[(typeIndex + 2 * half + s + e) % TAG_VARIANTS.length];
        const input = nameInput(subject, session, i + 1, typeIndex, s + e + half, tags, ".nii.gz");
        const name = formatName(input);
        paths.push(join(root, subject, session, tags.length ? "proc" : "nii", name));
        expected.push(input);
        matches += expectedMatches(typeIndex);
      }
    }
  }
  return { paths, expected, matches };
}

const PROPERTIES = [
  "name",
  "stem",
  "ext",
  "subjectId",
  "sessionId",
  "imageId",
  "seriesId",
  "imageType",
  "bodypart",
  "modality",
  "technique",
  "acqdim",
  "orientation",
  "excontrast",
  "extras",
  "tags",
];

/** Read every property of every image; returns a checksum so nothing is optimised away. */
function readProperties(images) {
  let sink = 0;
  for (const img of images) {
    sink +=
      img.name.length +
      img.stem.length +
      img.ext.length +
      img.subjectId.length +
      img.sessionId.length +
      img.imageId.length +
      img.seriesId.length +
      img.imageType.length +
      img.bodypart.length +
      img.modality.length +
      img.technique.length +
      img.acqdim.length +
      img.orientation.length +
      img.excontrast.length +
      img.extras.length +
      img.tags.length;
  }
  return sink;
}

/** Check (untimed) that the library read a sample of the names back as they were built. */
function verifySample(images, expected) {
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  for (let k = 0; k < images.length; k += 997) {
    const img = images[k];
    const want = expected[k];
    const got = {
      subjectId: img.subjectId,
      sessionId: img.sessionId,
      seriesNumber: img.seriesNumber,
      modality: img.modality,
      acqdim: img.acqdim,
      excontrast: img.excontrast,
      extras: img.extras,
      tags: img.tags,
      ext: img.ext,
    };
    const wanted = {
      subjectId: want.subjectId,
      sessionId: want.sessionId,
      seriesNumber: String(want.seriesNumber).padStart(2, "0"),
      modality: want.modality,
      acqdim: want.acqdim,
      excontrast: want.excontrast,
      extras: want.extras,
      tags: want.tags,
      ext: want.ext,
    };
    if (!same(got, wanted)) {
      throw new Error(
        `ImageFile(${img.path}) read ${JSON.stringify(got)}, expected ${JSON.stringify(wanted)}`,
      );
    }
  }
}

/**
 * Run benchmark (i). `dir` is an existing folder; the names live under a child of it that must
 * not exist. Returns median seconds per step (`construct`, `properties`, `filters`, `total`,
 * `real`), the match count and the expected one.
 */
export async function runNamesBench({ runs = benchRuns(), dir = os.tmpdir(), log = console.log }) {
  const root = join(dir, `radifox-bench-names-nonexistent-${process.pid}`);
  if (existsSync(root)) throw new Error(`${root} exists; the names benchmark needs it not to`);
  const { paths, expected, matches: expectedTotal } = buildNames(root);
  const filters = parseFilters();
  log(
    `names: ${paths.length} paths under ${root} (does not exist), ${filters.length} filters, ` +
      `1 warm-up + ${runs} timed runs`,
  );

  const result = await measure(
    runs,
    () => {
      let start = performance.now();
      const images = paths.map((path) => new ImageFile(path));
      const construct = since(start);

      start = performance.now();
      const checksum = readProperties(images);
      const properties = since(start);

      const fresh = paths.map((path) => new ImageFile(path));
      start = performance.now();
      const matches = applyFilters(filters, fresh);
      const filtering = since(start);

      start = performance.now();
      const real = paths.map((path) => ImageFile.real(path));
      const realSeconds = since(start);
      if (real[0].path !== images[0].path) {
        throw new Error(`ImageFile.real gave ${real[0].path}, new ImageFile ${images[0].path}`);
      }

      start = performance.now();
      const realAll = ImageFile.realAll(paths);
      const realAllSeconds = since(start);
      if (realAll.some((img, i) => img.path !== real[i].path)) {
        throw new Error("ImageFile.realAll and ImageFile.real disagree");
      }

      verifySample(images, expected);
      return {
        seconds: {
          construct,
          properties,
          filters: filtering,
          total: construct + properties + filtering,
          real: realSeconds,
          realAll: realAllSeconds,
        },
        matches,
        checksum,
        count: images.length,
      };
    },
    (i, run) =>
      log(
        `  run ${i + 1}: total ${fmt(run.seconds.total)} (construct ${fmt(run.seconds.construct)}, ` +
          `properties ${fmt(run.seconds.properties)}, filters ${fmt(run.seconds.filters)}); ` +
          `ImageFile.real ${fmt(run.seconds.real)}, ImageFile.realAll ${fmt(run.seconds.realAll)}`,
      ),
  );
  if (result.matches !== expectedTotal) {
    throw new Error(`the 9 filters found ${result.matches} matches, expected ${expectedTotal}`);
  }
  return { ...result, expectedMatches: expectedTotal, properties: PROPERTIES.length };
}

export function printNames(result, log = console.log) {
  const s = result.seconds;
  const o = ORIGINAL.names;
  log(`names benchmark (median of ${result.samples.length}):`);
  log(`  total                         ${fmt(s.total)}   (original ${o.total} s)`);
  log(`  (a) ${result.count} x new ImageFile()  ${fmt(s.construct)}   (original ${o.construct} s)`);
  log(
    `      ${result.count} x ImageFile.real()  ${fmt(s.real)}   (lstat per component, like Path.resolve())`,
  );
  log(
    `      ImageFile.realAll(${result.count})  ${fmt(s.realAll)}   (the same answers, one lstat per folder)`,
  );
  log(
    `  (b) ${result.properties} name properties each  ${fmt(s.properties)}   (original ${o.properties} s)`,
  );
  log(`  (c) 9 filters, fresh objects  ${fmt(s.filters)}   (original ${o.filters} s)`);
  log(
    `  matches: ${result.matches} (original data set: ${o.matches}; type mixes differ, ` +
      `ours checked against ${result.expectedMatches})`,
  );
}

if (isMain(import.meta.url)) {
  try {
    console.log(machineLine());
    const result = await runNamesBench({ dir: process.env.BENCH_DIR || os.tmpdir() });
    printNames(result);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
