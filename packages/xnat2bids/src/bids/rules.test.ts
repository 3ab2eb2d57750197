// Suffix rules: which datatype folder a name goes to, and why a name fits no rule.
import { describe, expect, it } from "vitest";
import { entityByKey, entityOrder } from "./entities.js";
import { type BidsName, parseBidsName } from "./names.js";
import {
  BIDS_DATATYPES,
  type Placement,
  placeBidsName,
  ruleProblems,
  rulesForSuffix,
  SUFFIX_RULES,
} from "./rules.js";

function parsed(fileName: string): BidsName {
  const result = parseBidsName(fileName);
  if (!result.ok) throw new Error(`${fileName}: ${result.problems.map((p) => p.message)}`);
  return result.name;
}

function place(fileName: string, datatype?: string): Placement {
  return placeBidsName(parsed(fileName), datatype);
}

function folderOf(fileName: string, datatype?: string): string {
  const placement = place(fileName, datatype);
  return placement.ok ? placement.rule.datatype : `rejected: ${placement.reason}`;
}

function reasonOf(fileName: string, datatype?: string): string {
  const placement = place(fileName, datatype);
  if (placement.ok) throw new Error(`${fileName} was placed in ${placement.rule.datatype}`);
  return placement.reason;
}

describe("placeBidsName", () => {
  it.each([
    ["sub-01_angio.nii.gz", "anat"],
    ["sub-01_T1rho.nii.gz", "anat"],
    ["sub-01_UNIT1.nii.gz", "anat"],
    ["sub-01_acq-mprage_run-2_T1w.json", "anat"],
    ["sub-01_echo-2_MEGRE.nii.gz", "anat"],
    ["sub-01_inv-1_MP2RAGE.nii.gz", "anat"],
    ["sub-01_task-rest_T1map.nii.gz", "anat"],
    ["sub-01_task-rest_acq-fast_echo-1_MEGRE.nii.gz", "anat"],
    ["sub-01_task-rest_physio.tsv.gz", "func"],
    ["sub-01_task-rest_recording-resp_physio.json", "func"],
    ["sub-01_task-rest_events.tsv", "func"],
    ["sub-01_task-rest_run-1_bold.nii.gz", "func"],
    ["sub-01_task-rest_sbref.nii.gz", "func"],
    ["sub-01_dwi.nii.gz", "dwi"],
    ["sub-01_dwi.bval", "dwi"],
    ["sub-01_dir-AP_dwi.bvec", "dwi"],
    ["sub-01_sbref.nii.gz", "dwi"],
    ["sub-01_phasediff.nii.gz", "fmap"],
    ["sub-01_magnitude1.nii.gz", "fmap"],
    ["sub-01_magnitude2.json", "fmap"],
    ["sub-01_fieldmap.nii.gz", "fmap"],
    ["sub-01_dir-PA_epi.nii.gz", "fmap"],
    ["sub-01_asl.nii.gz", "perf"],
    ["sub-01_m0scan.nii.gz", "perf"],
    ["sub-01_aslcontext.tsv", "perf"],
    ["sub-01_ADC.nii.gz", "dwi"],
    ["sub-01_acq-b1000_FA.nii", "dwi"],
    ["sub-01_dir-AP_run-1_colFA.json", "dwi"],
    ["sub-01_rec-nd_expADC.nii.gz", "dwi"],
    ["sub-01_chunk-1_trace.nii.gz", "dwi"],
    ["sub-01_S0map.nii.gz", "anat"],
    ["sub-01_physio.tsv.gz", "dwi"],
    ["sub-01_task-rest_trc-FDG_physio.tsv.gz", "pet"],
    ["sub-01_task-rest_echo-1_stim.json", "anat"],
  ])("%s -> %s", (fileName, datatype) => {
    expect(folderOf(fileName)).toBe(datatype);
  });

  it("places the scanner's diffusion maps in dwi/ without gradient files or part-", () => {
    expect(folderOf("sub-01_trace.nii.gz", "dwi")).toBe("dwi");
    expect(reasonOf("sub-01_ADC.bval")).toBe(
      ".bval is not an extension of ADC (.nii.gz, .nii, .json)",
    );
    expect(reasonOf("sub-01_part-mag_FA.nii.gz")).toBe("part- is not allowed for FA in dwi/");
  });

  it("places physio and stim in every folder BIDS allows, task- where the data has one", () => {
    for (const datatype of ["dwi", "perf"]) {
      expect(folderOf("sub-01_acq-pcasl_recording-pulse_physio.tsv.gz", datatype)).toBe(datatype);
      expect(reasonOf("sub-01_task-rest_stim.tsv.gz", datatype)).toBe(
        `task- is not allowed for stim in ${datatype}/`,
      );
    }
    expect(folderOf("sub-01_task-rest_physio.json", "anat")).toBe("anat");
    expect(folderOf("sub-01_task-rest_physio.json", "beh")).toBe("beh");
    expect(reasonOf("sub-01_physio.tsv.gz", "func")).toBe("physio in func/ needs a task- entity");
    expect(reasonOf("sub-01_task-rest_chunk-1_physio.tsv.gz", "func")).toBe(
      "chunk- is not allowed for physio in func/",
    );
    expect(reasonOf("sub-01_physio.nii.gz", "perf")).toBe(
      ".nii.gz is not an extension of physio (.tsv.gz, .json)",
    );
  });

  it("places m0scan in fmap/ only when asked for fmap/, and then needs dir-", () => {
    expect(folderOf("sub-01_dir-AP_m0scan.nii.gz", "fmap")).toBe("fmap");
    expect(reasonOf("sub-01_m0scan.nii.gz", "fmap")).toBe("m0scan in fmap/ needs a dir- entity");
  });

  it("wants dir- for epi", () => {
    expect(reasonOf("sub-01_epi.nii.gz")).toBe("epi in fmap/ needs a dir- entity");
  });

  it("wants task- for bold", () => {
    expect(reasonOf("sub-01_bold.nii.gz")).toBe("bold in func/ needs a task- entity");
  });

  it("rejects dti: not a BIDS suffix", () => {
    expect(reasonOf("sub-01_dti.nii.gz")).toBe("'dti' is not a BIDS suffix");
  });

  it("suggests the BIDS spelling of a suffix written in the wrong case", () => {
    expect(reasonOf("sub-01_t1w.nii.gz")).toBe("'t1w' is not a BIDS suffix (BIDS writes 'T1w')");
  });

  it("rejects echo- on T1map (parametric maps have no echo)", () => {
    expect(reasonOf("sub-01_echo-1_T1map.nii.gz")).toBe("echo- is not allowed for T1map in anat/");
  });

  it("rejects an extension the suffix does not have", () => {
    expect(reasonOf("sub-01_T1w.bval")).toBe(
      ".bval is not an extension of T1w (.nii.gz, .nii, .json)",
    );
    expect(reasonOf("sub-01_dwi.txt")).toContain(".txt is not an extension of dwi");
  });

  it("names the right folder for a suffix in the wrong one", () => {
    expect(reasonOf("sub-01_T1w.nii.gz", "func")).toBe("T1w belongs in anat/, not func/");
    expect(reasonOf("sub-01_task-a_sbref.nii.gz", "anat")).toBe(
      "sbref belongs in func or dwi/, not anat/",
    );
  });

  it("keeps to the given folder", () => {
    expect(folderOf("sub-01_task-rest_sbref.nii.gz", "dwi")).toBe(
      "rejected: task- is not allowed for sbref in dwi/",
    );
    expect(folderOf("sub-01_task-rest_events.tsv", "beh")).toBe("beh");
  });

  it("allows sub- and ses- everywhere", () => {
    expect(folderOf("sub-01_ses-2_T1map.nii.gz")).toBe("anat");
  });
});

describe("rulesForSuffix", () => {
  it("is case-sensitive and lists every group of a suffix in choice order", () => {
    expect(rulesForSuffix("t1w")).toEqual([]);
    expect(rulesForSuffix("sbref").map((r) => r.datatype)).toEqual(["func", "dwi"]);
    expect(rulesForSuffix("m0scan").map((r) => r.datatype)).toEqual(["perf", "fmap"]);
    expect(rulesForSuffix("physio").map((r) => r.datatype)).toEqual([
      "func",
      "dwi",
      "perf",
      "beh",
      "anat",
      "pet",
    ]);
    expect(rulesForSuffix("S0map").map((r) => r.datatype)).toEqual(["anat"]);
  });

  it("marks the deprecated suffixes", () => {
    const [anat] = rulesForSuffix("T2star");
    expect(anat?.deprecated).toEqual(["T2star", "FLASH", "PD"]);
    expect(rulesForSuffix("T1w")[0]?.deprecated).not.toContain("T1w");
  });
});

describe("ruleProblems", () => {
  it("lists every reason", () => {
    const [epi] = rulesForSuffix("epi");
    if (!epi) throw new Error("no epi rule");
    expect(ruleProblems(parsed("sub-01_task-a_epi.txt"), epi)).toEqual([
      "epi in fmap/ needs a dir- entity",
      "task- is not allowed for epi in fmap/",
      ".txt is not an extension of epi (.nii.gz, .nii, .json)",
    ]);
  });
});

describe("SUFFIX_RULES", () => {
  it("uses only BIDS entities, in BIDS order, and requires only allowed ones", () => {
    for (const r of SUFFIX_RULES) {
      for (const key of r.entities) expect(entityByKey(key), key).toBeDefined();
      const sorted = [...r.entities].sort((a, b) => entityOrder(a) - entityOrder(b));
      expect(r.entities, r.suffixes.join()).toEqual(sorted);
      for (const key of r.required) expect(r.entities, r.suffixes.join()).toContain(key);
      expect(BIDS_DATATYPES).toContain(r.datatype);
      for (const s of r.deprecated ?? []) expect(r.suffixes).toContain(s);
    }
  });
});
