// Conversion speed on a generated folder of XNAT sessions (BENCH_SESSIONS sessions x 10 scans,
// each scan a BIDS sidecar and a NIfTI of BENCH_NIFTI_KB kilobytes; defaults 1,000 and 256;
// kept in the temp folder between runs). Needs the built package (pnpm build). Speed is
// reported, never asserted.
//
// 1. Planning only (--dry-run).
// 2. Hard links into an empty output (the default mode), BENCH_REPEAT times (default 3) into
//    new outputs; `cp -al` of the input as a reference; the same run again into the first
//    output (a no-op).
// 3. Copies into an empty output: time and MB/s.
//
// Each timed run starts after `sync`, so that it does not pay for the writes (or deletions)
// of the run before it; outputs are deleted only at the end.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { checkBidsDataset, xnat2bids } from "../dist/index.js";

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000);
const NIFTI_KB = Number(process.env.BENCH_NIFTI_KB ?? 256);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

/** Ten scans of a session: anatomy, functional runs with physio, diffusion, field maps. */
const SCANS = [
  ["T1w", ".nii.gz"],
  ["T2w", ".nii.gz"],
  ["FLAIR", ".nii.gz"],
  ["task-rest_run-1_bold", ".nii.gz"],
  ["task-rest_run-2_bold", ".nii.gz"],
  ["task-rest_run-1_physio", ".tsv.gz"],
  ["dwi", ".nii.gz"],
  ["phasediff", ".nii.gz"],
  ["magnitude1", ".nii.gz"],
  ["angio", ".nii.gz"],
];

/** A sidecar with the keys BIDS requires of the scan's suffix. */
function sidecarOf(suffix) {
  if (suffix.endsWith("_bold")) return { RepetitionTime: 2.0, TaskName: "rest" };
  if (suffix.endsWith("_physio")) {
    return { SamplingFrequency: 100, StartTime: 0, Columns: ["cardiac", "respiratory"] };
  }
  if (suffix === "phasediff") return { EchoTime1: 0.00492, EchoTime2: 0.00738 };
  return { RepetitionTime: 2.0 };
}

function generate(root) {
  const data = Buffer.alloc(NIFTI_KB * 1024, 7);
  for (let s = 0; s < SESSIONS; s += 1) {
    const subject = String(Math.floor(s / 2) + 1).padStart(4, "0");
    const session = String((s % 2) + 1);
    const dir = join(root, `S${subject}_MR${session}`);
    SCANS.forEach(([suffix, ext], i) => {
      const base = `sub-${subject}_ses-${session}_${suffix}`;
      const scan = join(dir, "SCANS", String(i + 1));
      mkdirSync(join(scan, "BIDS"), { recursive: true });
      mkdirSync(join(scan, "NIFTI"), { recursive: true });
      writeFileSync(join(scan, "BIDS", `${base}.json`), `${JSON.stringify(sidecarOf(suffix))}\n`);
      writeFileSync(join(scan, "NIFTI", `${base}${ext}`), data);
      if (suffix === "dwi") {
        writeFileSync(join(scan, "NIFTI", `${base}.bval`), "0 1000\n");
        writeFileSync(join(scan, "NIFTI", `${base}.bvec`), "0 1\n0 0\n0 0\n");
      }
    });
    if (s === 0) {
      mkdirSync(join(dir, "RESOURCES", "BIDS"), { recursive: true });
      writeFileSync(
        join(dir, "RESOURCES", "BIDS", "dataset_description.json"),
        '{"Name": "bench", "BIDSVersion": "1.10.0"}\n',
      );
    }
  }
}

function archiveFolder() {
  const root = join(tmpdir(), `xnat2bids-bench-v2-${SESSIONS}x10-${NIFTI_KB}k`);
  if (existsSync(root)) return root;
  const building = mkdtempSync(`${root}.building-`);
  const started = performance.now();
  generate(building);
  renameSync(building, root);
  console.log(`generated ${root} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return root;
}

async function timed(label, input, output, options) {
  execFileSync("sync");
  const started = performance.now();
  const result = await xnat2bids(input, output, { check: false, ...options });
  const seconds = (performance.now() - started) / 1000;
  const counts = {};
  for (const a of result.actions) counts[a.action] = (counts[a.action] ?? 0) + 1;
  console.log(
    `${label.padEnd(26)} ${seconds.toFixed(2).padStart(6)} s  ${result.rows.length} files, exit ${result.exitCode}, ${JSON.stringify(counts)}`,
  );
  return { seconds, result };
}

const input = archiveFolder();
const scratch = mkdtempSync(join(tmpdir(), "xnat2bids-bench-out-"));
try {
  console.log(`${SESSIONS} sessions x ${SCANS.length} scans, NIfTI ${NIFTI_KB} KB`);
  await timed("plan only (--dry-run)", input, join(scratch, "dry"), { dryRun: true });
  const hard = [];
  for (let i = 1; i <= REPEAT; i += 1) {
    const run = await timed(`hard links (${i})`, input, join(scratch, `hard-${i}`), {});
    hard.push(run.seconds);
  }
  const sorted = [...hard].sort((a, b) => a - b);
  console.log(
    `hard links: best ${sorted[0].toFixed(2)} s, median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s of ${REPEAT}`,
  );
  // The same machine's floor, measured beside: `cp -al` links the whole input tree (22,004
  // links, and more folders than the dataset has). On a shared virtual machine file creation
  // speed changes severalfold from minute to minute; this line says which minute it was.
  execFileSync("sync");
  const cpStarted = performance.now();
  execFileSync("cp", ["-al", input, join(scratch, "cp-al")]);
  console.log(
    `${"cp -al of the input".padEnd(26)} ${((performance.now() - cpStarted) / 1000).toFixed(2).padStart(6)} s  (reference)`,
  );
  await timed("hard links, again", input, join(scratch, "hard-1"), {});
  const checkStarted = performance.now();
  const found = checkBidsDataset(join(scratch, "hard-1"));
  const errors = found.findings.filter((f) => f.severity === "error").length;
  console.log(
    `${"BIDS check".padEnd(26)} ${((performance.now() - checkStarted) / 1000).toFixed(2).padStart(6)} s  ${found.files} files, ${errors} errors`,
  );
  const copy = await timed("copies", input, join(scratch, "copy"), { link: "copy" });
  const megabytes = (SESSIONS * SCANS.length * NIFTI_KB) / 1024;
  console.log(
    `copy throughput: ${(megabytes / copy.seconds).toFixed(0)} MB/s (${megabytes.toFixed(0)} MB of NIfTI)`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
