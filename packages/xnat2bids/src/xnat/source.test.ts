// Planning an XNAT session: names that fit several datatype folders go to their run's folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planXnatInput } from "./source.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A session whose scan `i` holds the sidecar and data files of `scans[i]`. */
function session(scans: [base: string, ...extensions: string[]][]): string {
  const root = mkdtempSync(join(tmpdir(), "xnat2bids-xnat-"));
  roots.push(root);
  const write = (path: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, "(data)");
  };
  scans.forEach(([base, ...extensions], index) => {
    const scan = join(root, "SCANS", String(index + 1));
    write(join(scan, "BIDS", `${base}.json`));
    for (const ext of extensions) write(join(scan, "NIFTI", `${base}${ext}`));
  });
  return root;
}

function targets(root: string): string[] {
  return planXnatInput(root, "xnat-session")
    .files.map((f) => f.target)
    .filter((t) => !t.endsWith(".json"))
    .sort();
}

describe("planXnatInput", () => {
  it("puts a recording beside the run of the same entities", () => {
    const root = session([
      ["sub-01_asl", ".nii.gz"],
      ["sub-01_recording-pulse_physio", ".tsv.gz"],
      ["sub-01_acq-b1000_dwi", ".nii.gz", ".bval", ".bvec"],
      ["sub-01_acq-b1000_stim", ".tsv.gz"],
    ]);
    expect(targets(root)).toEqual([
      "sub-01/dwi/sub-01_acq-b1000_dwi.bval",
      "sub-01/dwi/sub-01_acq-b1000_dwi.bvec",
      "sub-01/dwi/sub-01_acq-b1000_dwi.nii.gz",
      "sub-01/dwi/sub-01_acq-b1000_stim.tsv.gz",
      "sub-01/perf/sub-01_asl.nii.gz",
      "sub-01/perf/sub-01_recording-pulse_physio.tsv.gz",
    ]);
  });

  it("takes the first folder when no run, or runs in two folders, decide", () => {
    const root = session([
      ["sub-01_T1w", ".nii.gz"],
      ["sub-01_asl", ".nii.gz"],
      ["sub-01_physio", ".tsv.gz"],
      ["sub-01_acq-x_S0map", ".nii.gz"],
    ]);
    expect(targets(root)).toEqual([
      "sub-01/anat/sub-01_T1w.nii.gz",
      "sub-01/anat/sub-01_acq-x_S0map.nii.gz",
      "sub-01/dwi/sub-01_physio.tsv.gz",
      "sub-01/perf/sub-01_asl.nii.gz",
    ]);
  });

  it("takes no gradient files for a scanner ADC map", () => {
    const root = session([["sub-01_ADC", ".nii.gz", ".bval"]]);
    const plan = planXnatInput(root, "xnat-session");
    expect(plan.files.map((f) => f.target).sort()).toEqual([
      "sub-01/dwi/sub-01_ADC.json",
      "sub-01/dwi/sub-01_ADC.nii.gz",
    ]);
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      ".bval is not an extension of ADC (.nii.gz, .nii, .json)",
    ]);
  });
});
