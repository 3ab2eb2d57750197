// Benchmark (ii): glob and scan a tree of 60,000 empty files: 100 subjects x 3 sessions x 100
// images x {.nii.gz, .json} in <root>/<SUBJECT>/<session>/nii/ (made untimed). The 100 images
// of a session are the 10 image types 10 times each. Timed: (a) `globSync` of
// <root>/*/*/nii/*.nii.gz (30,000 ImageFiles) + the 9 README filters, (b) `scanStudy` of the
// project collecting every image + the 9 filters, (c) recursive `globSync` of <root>/**/*.nii.gz.
//
// Run alone: node bench/tree.mjs   (BENCH_RUNS=5, BENCH_DIR=os.tmpdir())
import { mkdirSync, writeFileSync } from "node:fs";
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
  makeScratch,
  measure,
  nameInput,
  ORIGINAL,
  parseFilters,
  printTable,
  removeScratch,
  since,
} from "./common.mjs";

const { formatName, globSync, scanStudy } = lib;

export const SUBJECTS = 100;
export const SESSIONS = 3;
export const IMAGES_PER_SESSION = 100;

/** Make the tree under `root`; returns the number of images and the matches the filters must find. */
export function buildTree(root) {
  let images = 0;
  let matches = 0;
  for (let s = 0; s < SUBJECTS; s++) {
    const subject = `BENCH-${String(s + 1).padStart(4, "0")}`;
    for (let e = 0; e < SESSIONS; e++) {
      const session = String(e + 1);
      const nii = join(root, subject, session, "nii");
      mkdirSync(nii, { recursive: true });
      for (let i = 0; i < IMAGES_PER_SESSION; i++) {
        const typeIndex = i % IMAGE_TYPES.length;
        const input = nameInput(subject, session, i + 1, typeIndex, i, [], ".nii.gz");
        writeFileSync(join(nii, formatName(input)), "");
        writeFileSync(join(nii, formatName({ ...input, ext: ".json" })), "");
        images++;
        matches += expectedMatches(typeIndex);
      }
    }
  }
  return { images, matches };
}

function expectCount(what, got, want) {
  if (got !== want) throw new Error(`${what}: got ${got}, expected ${want}`);
}

/**
 * Run benchmark (ii) in a new scratch folder under `dir` (removed afterwards). Returns median
 * seconds per step: `glob`, `globFilters`, `globTotal`, `scan`, `scanFilters`, `scanTotal`,
 * `recursive`, plus counts and the (untimed) creation time.
 */
export async function runTreeBench({ runs = benchRuns(), dir, log = console.log } = {}) {
  const root = makeScratch("radifox-bench-tree-", dir);
  try {
    if (/[*?[]/.test(root)) {
      throw new Error(`the scratch path ${root} holds glob characters; set BENCH_DIR elsewhere`);
    }
    let start = performance.now();
    const { images: imageCount, matches: expectedTotal } = buildTree(root);
    const created = since(start);
    log(
      `tree: ${imageCount * 2} empty files in ${root} (made in ${fmt(created)}, untimed), ` +
        `1 warm-up + ${runs} timed runs`,
    );
    const filters = parseFilters();

    const result = await measure(
      runs,
      async () => {
        start = performance.now();
        const globbed = globSync(`${root}/*/*/nii/*.nii.gz`);
        const glob = since(start);
        start = performance.now();
        const globMatches = applyFilters(filters, globbed);
        const globFilters = since(start);
        expectCount("globSync(<root>/*/*/nii/*.nii.gz)", globbed.length, imageCount);
        expectCount("9 filters over the glob", globMatches, expectedTotal);

        start = performance.now();
        const scanned = [];
        let problems = 0;
        for await (const session of scanStudy(root, { level: "project" })) {
          for (const image of session.images) scanned.push(image);
          problems += session.problems.length;
        }
        const scan = since(start);
        start = performance.now();
        const scanMatches = applyFilters(filters, scanned);
        const scanFilters = since(start);
        expectCount("scanStudy images", scanned.length, imageCount);
        expectCount("scanStudy problems", problems, 0);
        expectCount("9 filters over the scan", scanMatches, expectedTotal);

        start = performance.now();
        const recursed = globSync(`${root}/**/*.nii.gz`, { recursive: true });
        const recursive = since(start);
        expectCount("globSync(<root>/**/*.nii.gz, recursive)", recursed.length, imageCount);

        return {
          seconds: {
            glob,
            globFilters,
            globTotal: glob + globFilters,
            scan,
            scanFilters,
            scanTotal: scan + scanFilters,
            recursive,
          },
          images: globbed.length,
          matches: globMatches,
        };
      },
      (i, run) => {
        const s = run.seconds;
        log(
          `  run ${i + 1}: glob ${fmt(s.glob)} + filters ${fmt(s.globFilters)}; ` +
            `scanStudy ${fmt(s.scan)} + filters ${fmt(s.scanFilters)}; recursive glob ${fmt(s.recursive)}`,
        );
      },
    );
    return { ...result, created, expectedMatches: expectedTotal };
  } finally {
    removeScratch(root);
  }
}

export function printTree(result, log = console.log) {
  const s = result.seconds;
  const o = ORIGINAL.tree;
  log(
    `tree benchmark (median of ${result.samples.length}; ${result.images} images, ${result.matches} matches):`,
  );
  printTable(
    [
      ["step", "ours", "original"],
      ["(a) glob <root>/*/*/nii/*.nii.gz", fmt(s.glob), `${o.glob} s`],
      ["    + 9 filters", fmt(s.globFilters), `${o.globFilters} s`],
      ["    glob + filters", fmt(s.globTotal), `${o.globTotal} s`],
      ["(b) scanStudy(project)", fmt(s.scan), "-"],
      ["    + 9 filters", fmt(s.scanFilters), "-"],
      ["    scanStudy + filters", fmt(s.scanTotal), "-"],
      ["(c) glob <root>/**/*.nii.gz recursive", fmt(s.recursive), `${o.recursive} s`],
    ],
    (line) => log(`  ${line}`),
  );
}

if (isMain(import.meta.url)) {
  try {
    console.log(machineLine());
    printTree(await runTreeBench({}));
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
