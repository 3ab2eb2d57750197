// Run both benchmarks and compare with the original's figures (BASELINE.md of the conformance
// set). Env: BENCH_RUNS (timed runs after one warm-up, default 5), BENCH_DIR (scratch parent,
// default os.tmpdir()). Needs the built package: npx tsup. Exits non-zero only on errors; the
// speed is reported, never asserted.
import {
  benchRuns,
  fmt,
  machineLine,
  makeScratch,
  ORIGINAL,
  printTable,
  removeScratch,
} from "./common.mjs";
import { printNames, runNamesBench } from "./names.mjs";
import { printTree, runTreeBench } from "./tree.mjs";

const speedup = (original, ours) => `${(original / ours).toFixed(1)}x`;

async function main() {
  const runs = benchRuns();
  console.log(machineLine());
  const scratch = makeScratch("radifox-bench-");
  try {
    console.log(`scratch folder: ${scratch}; ${runs} timed runs after 1 warm-up, medians below\n`);
    const names = await runNamesBench({ runs, dir: scratch });
    printNames(names);
    console.log("");
    const tree = await runTreeBench({ runs, dir: scratch });
    printTree(tree);

    const n = names.seconds;
    const t = tree.seconds;
    const on = ORIGINAL.names;
    const ot = ORIGINAL.tree;
    const row = (label, original, ours) => [
      label,
      original === undefined ? "-" : `${original.toFixed(2)} s`,
      fmt(ours),
      original === undefined ? "-" : speedup(original, ours),
    ];
    console.log(`\nsummary (median of ${runs}; original = Python RADIFOX 2.2.0, median of 5)`);
    printTable([
      ["benchmark", "original", "ours", "speed-up"],
      row("(i) names: total", on.total, n.total),
      row("    60k new ImageFile()", on.construct, n.construct),
      row("    60k ImageFile.real() [lstat, as Path.resolve()]", on.construct, n.real),
      row("    ImageFile.realAll(60k) [same, lstat per folder]", on.construct, n.realAll),
      row("    16 name properties x 60k", on.properties, n.properties),
      row("    9 filters over 60k fresh ImageFiles", on.filters, n.filters),
      row("(ii) glob */*/nii/*.nii.gz + 9 filters", ot.globTotal, t.globTotal),
      row("    glob -> 30k ImageFiles", ot.glob, t.glob),
      row("    9 filters", ot.globFilters, t.globFilters),
      row("    scanStudy(project) + 9 filters [vs glob+filters]", ot.globTotal, t.scanTotal),
      row("    glob **/*.nii.gz recursive", ot.recursive, t.recursive),
    ]);
    console.log(
      `matches: names ${names.matches} (original ${on.matches}; different type mix), ` +
        `tree ${tree.matches}`,
    );
  } finally {
    removeScratch(scratch);
  }
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
