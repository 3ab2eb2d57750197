// BIDS names: strict parsing with one problem code per reason, formatting in BIDS entity order,
// and the helpers the converter builds on.
import { describe, expect, it } from "vitest";
import { BIDS_ENTITIES, entityByKey, entityOrder, entityValueProblem } from "./entities.js";
import {
  type BidsName,
  entityValue,
  formatBidsName,
  parseBidsName,
  splitExtension,
  withoutSuffix,
} from "./names.js";

function parsed(fileName: string): BidsName {
  const result = parseBidsName(fileName);
  if (!result.ok) throw new Error(`${fileName}: ${result.problems.map((p) => p.message)}`);
  return result.name;
}

function problemCodes(fileName: string): string[] {
  const result = parseBidsName(fileName);
  return result.ok ? [] : result.problems.map((p) => p.code);
}

describe("splitExtension", () => {
  it.each([
    ["sub-01_T1w.nii.gz", "sub-01_T1w", ".nii.gz"],
    ["sub-01_task-rest_physio.tsv.gz", "sub-01_task-rest_physio", ".tsv.gz"],
    ["sub-01_T1w.json", "sub-01_T1w", ".json"],
    ["sub-01_T1w", "sub-01_T1w", ""],
  ])("%s -> %s + %s", (fileName, stem, extension) => {
    expect(splitExtension(fileName)).toEqual([stem, extension]);
  });

  it("takes .nii.gz as one extension when parsing", () => {
    expect(parsed("sub-01_T1w.nii.gz")).toEqual({
      entities: [{ key: "sub", value: "01" }],
      suffix: "T1w",
      extension: ".nii.gz",
    });
  });
});

describe("withoutSuffix", () => {
  it("removes exactly the given text, so angio keeps its o (unlike Python's rstrip)", () => {
    expect(withoutSuffix("sub-01_angio.json", ".json")).toBe("sub-01_angio");
    expect(withoutSuffix("sub-01_task-a_events.json", ".json")).toBe("sub-01_task-a_events");
    expect(withoutSuffix("sub-01_task-a_physio.json", ".json")).toBe("sub-01_task-a_physio");
  });

  it("gives undefined when the name does not end with it", () => {
    expect(withoutSuffix("sub-01_angio.nii.gz", ".json")).toBeUndefined();
    expect(withoutSuffix("json", ".json")).toBeUndefined();
  });
});

describe("parseBidsName", () => {
  it("takes a name apart in name order", () => {
    expect(parsed("sub-01_ses-pre_task-rest_acq-mb4_dir-AP_run-2_echo-1_bold.nii")).toEqual({
      entities: [
        { key: "sub", value: "01" },
        { key: "ses", value: "pre" },
        { key: "task", value: "rest" },
        { key: "acq", value: "mb4" },
        { key: "dir", value: "AP" },
        { key: "run", value: "2" },
        { key: "echo", value: "1" },
      ],
      suffix: "bold",
      extension: ".nii",
    });
  });

  it("parses a stem without extension", () => {
    expect(parsed("sub-01_T1w")).toEqual({
      entities: [{ key: "sub", value: "01" }],
      suffix: "T1w",
      extension: "",
    });
  });

  it.each([
    ["sub-01_acq-my_label_T1w.nii.gz", ["NOT_KEY_VALUE"]],
    ["sub-01_acq-a-b_T1w.nii.gz", ["DASH_IN_VALUE"]],
    ["foo_T1w.nii.gz", ["NOT_KEY_VALUE", "NO_SUBJECT"]],
    ["task-rest_bold.json", ["NO_SUBJECT"]],
    ["sub-01_run-1_acq-x_T1w.nii.gz", ["ENTITY_ORDER"]],
    ["sub-01_foo-1_T1w.nii.gz", ["UNKNOWN_ENTITY"]],
    ["sub-01_run-a_T1w.nii.gz", ["BAD_VALUE"]],
    // The extension starts at the first dot, so the suffix would be `acq-a`.
    ["sub-01_acq-a.b_T1w.nii.gz", ["NO_SUFFIX"]],
    ["sub-01_part-both_T1w.nii.gz", ["BAD_VALUE"]],
    ["sub-_T1w.nii.gz", ["BAD_VALUE"]],
    ["sub-01_acq-a_acq-b_T1w.nii.gz", ["REPEATED_ENTITY"]],
    ["sub-01.nii.gz", ["NO_SUFFIX"]],
    ["sub-01_T1-w.nii.gz", ["NO_SUFFIX"]],
    ["", ["NO_SUFFIX", "NOT_KEY_VALUE", "NO_SUBJECT"]],
  ])("%s -> %j", (fileName, codes) => {
    expect(problemCodes(fileName)).toEqual(codes);
  });

  it("names the offending part in each message", () => {
    const result = parseBidsName("sub-01_acq-my_label_T1w.nii.gz");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toContain("'label'");
    const order = parseBidsName("sub-01_run-1_acq-x_T1w.nii.gz");
    if (order.ok) throw new Error("expected problems");
    expect(order.problems[0]?.message).toBe("acq- must come before run- (BIDS entity order)");
  });

  it("is case-sensitive about keys", () => {
    expect(problemCodes("sub-01_ACQ-x_T1w.nii.gz")).toEqual(["UNKNOWN_ENTITY"]);
  });
});

describe("entityValue", () => {
  it("finds a value by key", () => {
    const name = parsed("sub-01_ses-2_T1w.nii.gz");
    expect(entityValue(name, "ses")).toBe("2");
    expect(entityValue(name, "run")).toBeUndefined();
  });
});

describe("formatBidsName", () => {
  it("writes entities in BIDS order whatever their order in the object", () => {
    const name: BidsName = {
      entities: [
        { key: "run", value: "1" },
        { key: "echo", value: "2" },
        { key: "sub", value: "01" },
        { key: "acq", value: "fast" },
        { key: "ses", value: "a" },
      ],
      suffix: "T1w",
      extension: ".nii.gz",
    };
    expect(formatBidsName(name)).toBe("sub-01_ses-a_acq-fast_run-1_echo-2_T1w.nii.gz");
  });

  it.each([
    "sub-01_T1w.nii.gz",
    "sub-01_angio.json",
    "sub-01_ses-1_task-rest_acq-mb_ce-gad_rec-norm_dir-PA_run-3_echo-2_part-mag_bold.nii",
    "sub-01_task-nback_recording-cardiac_physio.tsv.gz",
    "sub-01_acq-b1k_dir-AP_dwi.bvec",
    "sub-01_flip-2_inv-1_MP2RAGE.nii.gz",
    "sub-01_flip-1_mt-on_MPM.json",
    "sub-01_T1w",
  ])("round-trips %s", (fileName) => {
    expect(formatBidsName(parsed(fileName))).toBe(fileName);
  });
});

describe("entities", () => {
  it("holds the BIDS entities in file-name order", () => {
    const keys = BIDS_ENTITIES.map((e) => e.key);
    expect(keys.slice(0, 3)).toEqual(["sub", "tpl", "ses"]);
    expect(keys.at(-1)).toBe("desc");
    expect(new Set(keys).size).toBe(keys.length);
    for (const [before, after] of [
      ["sub", "ses"],
      ["ses", "task"],
      ["task", "acq"],
      ["acq", "ce"],
      ["ce", "rec"],
      ["rec", "dir"],
      ["dir", "run"],
      ["run", "echo"],
      ["echo", "flip"],
      ["flip", "inv"],
      ["inv", "mt"],
      ["mt", "part"],
      ["recording", "chunk"],
    ] as const) {
      expect(entityOrder(before)).toBeLessThan(entityOrder(after));
    }
  });

  it("sorts unknown keys last", () => {
    expect(entityOrder("foo")).toBe(BIDS_ENTITIES.length);
    expect(entityByKey("foo")).toBeUndefined();
    expect(entityByKey("acq")?.name).toBe("acquisition");
  });

  it.each([
    ["sub", "01", undefined],
    ["acq", "MPRAGE2", undefined],
    ["acq", "a_b", "label"],
    ["run", "01", undefined],
    ["run", "1a", "index"],
    ["part", "mag", undefined],
    ["part", "magnitude", "one of"],
    ["mt", "on", undefined],
    ["hemi", "L", undefined],
    ["acq", "", "empty"],
    ["foo", "1", "not a BIDS entity"],
  ])("%s-%s -> %s", (key, value, problem) => {
    const message = entityValueProblem(key, value);
    if (problem === undefined) expect(message).toBeUndefined();
    else expect(message).toContain(problem);
  });
});
