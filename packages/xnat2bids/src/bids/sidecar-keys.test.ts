// The required-key table on its own: merging by inheritance and what each kind of file lacks.
import { describe, expect, it } from "vitest";
import { entityByKey } from "./entities.js";
import { type BidsName, parseBidsName } from "./names.js";
import { rulesForSuffix } from "./rules.js";
import { keyText, mergeSidecars, missingSidecarKeys, SIDECAR_KEY_RULES } from "./sidecar-keys.js";

function parsed(fileName: string): BidsName {
  const result = parseBidsName(fileName);
  if (!result.ok) throw new Error(`${fileName}: ${result.problems.map((p) => p.message)}`);
  return result.name;
}

function missing(datatype: string, fileName: string, sidecar: Record<string, unknown> = {}) {
  return missingSidecarKeys(datatype, parsed(fileName), sidecar).map(
    (m) => keyText(m.key) + m.reason,
  );
}

describe("mergeSidecars", () => {
  it("takes each key from the nearest sidecar that sets it; null sets nothing", () => {
    expect(
      mergeSidecars([
        { RepetitionTime: 3, TaskName: null },
        { RepetitionTime: 2, TaskName: "rest", EchoTime: 0.03 },
      ]),
    ).toEqual({ RepetitionTime: 3, TaskName: "rest", EchoTime: 0.03 });
    expect(mergeSidecars([])).toEqual({});
  });
});

describe("missingSidecarKeys", () => {
  it("asks bold for TaskName and one of the two timings", () => {
    expect(missing("func", "sub-01_task-rest_bold.nii.gz")).toEqual([
      "RepetitionTime or VolumeTiming",
      "TaskName",
    ]);
    expect(missing("func", "sub-01_task-rest_bold.nii.gz", { VolumeTiming: [0, 2] })).toEqual([
      "TaskName",
    ]);
  });

  it("keeps to the folder: m0scan needs IntendedFor in perf/, not in fmap/", () => {
    expect(missing("perf", "sub-01_m0scan.nii.gz")).toEqual([
      "RepetitionTimePreparation",
      "EchoTime",
      "IntendedFor",
    ]);
    expect(missing("fmap", "sub-01_dir-AP_m0scan.nii.gz")).toEqual([]);
  });

  it("names a key once even when two rules require it", () => {
    // TB1EPI asks both itself, and so do its echo- and flip- entities.
    expect(missing("fmap", "sub-01_echo-1_flip-1_TB1EPI.nii.gz")).toEqual([
      "EchoTime",
      "FlipAngle",
      "TotalReadoutTime",
      "MixingTime",
    ]);
  });

  it("asks entity parameters of images only, not of recordings", () => {
    expect(missing("anat", "sub-01_flip-2_VFA.nii.gz")).toEqual([
      "FlipAngle (the name has flip-2)",
    ]);
    expect(missing("anat", "sub-01_mt-on_MTR.nii")).toEqual(["MTState (the name has mt-on)"]);
    expect(missing("anat", "sub-01_part-mag_T1w.nii.gz")).toEqual([]);
    expect(missing("anat", "sub-01_task-a_echo-1_physio.tsv.gz")).toEqual([
      "SamplingFrequency",
      "StartTime",
      "Columns",
    ]);
  });

  it("asks nothing of files BIDS requires no key of", () => {
    for (const name of ["sub-01_T1w.nii.gz", "sub-01_dwi.nii.gz", "sub-01_ADC.nii.gz"]) {
      expect(missing(name.includes("T1w") ? "anat" : "dwi", name)).toEqual([]);
    }
  });
});

describe("SIDECAR_KEY_RULES", () => {
  it("names only suffixes of its folders and BIDS entities", () => {
    for (const r of SIDECAR_KEY_RULES) {
      for (const suffix of r.suffixes ?? []) {
        const folders = rulesForSuffix(suffix).map((s) => s.datatype as string);
        for (const datatype of r.datatypes ?? folders) expect(folders, suffix).toContain(datatype);
      }
      if (r.entity) expect(entityByKey(r.entity.key)).toBeDefined();
      expect(r.keys.length).toBeGreaterThan(0);
    }
  });
});
