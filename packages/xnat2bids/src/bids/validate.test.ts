// The BIDS checker on small datasets written to a temporary folder: a valid dataset gives no
// findings, and each problem gives exactly its code at its path.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REQUIRED_SIDECAR_EXAMPLES } from "../../test/sidecar-examples.js";
import { type BidsCheck, checkBidsDataset } from "./validate.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "bids-check-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

type Files = Record<string, string>;

const DESCRIPTION = JSON.stringify({ Name: "test", BIDSVersion: "1.10.0" });
const SIDECAR = JSON.stringify({ RepetitionTime: 2 });
// Sidecars with the keys BIDS requires of their suffix.
const BOLD = JSON.stringify(REQUIRED_SIDECAR_EXAMPLES.bold);
const EPI = JSON.stringify(REQUIRED_SIDECAR_EXAMPLES.epi);
const PHYSIO = JSON.stringify(REQUIRED_SIDECAR_EXAMPLES.physio);
const ASL_KEYS = REQUIRED_SIDECAR_EXAMPLES.asl;
const ASL = JSON.stringify(ASL_KEYS);
const M0SCAN = JSON.stringify({
  RepetitionTimePreparation: 4,
  EchoTime: 0.012,
  IntendedFor: "bids::sub-01/perf/sub-01_asl.nii.gz",
});

/** A valid dataset without sessions: anat, func with events, dwi, fmap. */
const BASE: Files = {
  "dataset_description.json": DESCRIPTION,
  README: "A test dataset.\n",
  "participants.tsv": "participant_id\tage\nsub-01\t30\n",
  "sub-01/anat/sub-01_T1w.nii.gz": "",
  "sub-01/anat/sub-01_T1w.json": SIDECAR,
  "sub-01/func/sub-01_task-rest_bold.nii.gz": "",
  "sub-01/func/sub-01_task-rest_bold.json": BOLD,
  "sub-01/func/sub-01_task-rest_events.tsv": "onset\tduration\n",
  "sub-01/dwi/sub-01_dwi.nii.gz": "",
  "sub-01/dwi/sub-01_dwi.json": SIDECAR,
  "sub-01/dwi/sub-01_dwi.bval": "0 1000\n",
  "sub-01/dwi/sub-01_dwi.bvec": "0 1\n0 0\n0 0\n",
  "sub-01/fmap/sub-01_dir-AP_epi.nii.gz": "",
  "sub-01/fmap/sub-01_dir-AP_epi.json": EPI,
};

function write(files: Files) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** BASE with `changes` applied: a string writes the file, null leaves it out. */
function dataset(changes: Record<string, string | null> = {}): string {
  const files: Files = { ...BASE };
  for (const [path, content] of Object.entries(changes)) {
    if (content === null) delete files[path];
    else files[path] = content;
  }
  write(files);
  return root;
}

function found(check: BidsCheck): string[][] {
  return check.findings.map((f) => [f.severity, f.code, f.path ?? ""]);
}

function check(changes: Record<string, string | null> = {}): string[][] {
  return found(checkBidsDataset(dataset(changes)));
}

describe("a valid dataset", () => {
  it("has no findings and is summarised", () => {
    const result = checkBidsDataset(dataset());
    expect(result).toEqual({ findings: [], subjects: ["01"], sessions: 0, files: 14 });
  });

  it("with sessions, several subjects and every MRI datatype has no findings", () => {
    write({
      "dataset_description.json": DESCRIPTION,
      "README.md": "# test\n",
      CHANGES: "1.0.0\n",
      LICENSE: "CC0\n",
      "participants.tsv": "participant_id\nsub-10\nsub-02\nsub-A\n",
      "participants.json": "{}",
      ".bidsignore": "*.txt\n",
      ".git/config": "",
      "derivatives/whatever.txt": "",
      "sourcedata/raw.dcm": "",
      "code/convert.sh": "",
      "stimuli/image.png": "",
      "sub-10/sub-10_sessions.tsv": "session_id\nses-1\nses-2\n",
      "sub-10/ses-1/sub-10_ses-1_scans.tsv": "filename\n",
      "sub-10/ses-1/sub-10_ses-1_scans.json": "{}",
      "sub-10/ses-1/anat/sub-10_ses-1_acq-mprage_T1w.nii.gz": "",
      "sub-10/ses-1/anat/sub-10_ses-1_acq-mprage_T1w.json": SIDECAR,
      "sub-10/ses-1/anat/sub-10_ses-1_inv-1_MP2RAGE.nii": "",
      "sub-10/ses-1/anat/sub-10_ses-1_inv-1_MP2RAGE.json": JSON.stringify({ InversionTime: 0.7 }),
      "sub-10/ses-1/anat/sub-10_ses-1_angio.nii.gz": "",
      "sub-10/ses-1/anat/sub-10_ses-1_angio.json": SIDECAR,
      "sub-10/ses-1/func/sub-10_ses-1_task-rest_run-1_bold.nii.gz": "",
      "sub-10/ses-1/func/sub-10_ses-1_task-rest_run-1_bold.json": BOLD,
      "sub-10/ses-1/func/sub-10_ses-1_task-rest_run-1_physio.tsv.gz": "",
      "sub-10/ses-1/func/sub-10_ses-1_task-rest_run-1_physio.json": PHYSIO,
      "sub-10/ses-1/func/sub-10_ses-1_task-rest_sbref.nii.gz": "",
      "sub-10/ses-1/func/sub-10_ses-1_task-rest_sbref.json": SIDECAR,
      "sub-10/ses-1/fmap/sub-10_ses-1_phasediff.nii.gz": "",
      "sub-10/ses-1/fmap/sub-10_ses-1_phasediff.json": JSON.stringify({
        EchoTime1: 0.00492,
        EchoTime2: 0.00738,
      }),
      "sub-10/ses-1/fmap/sub-10_ses-1_magnitude1.nii.gz": "",
      "sub-10/ses-1/fmap/sub-10_ses-1_magnitude1.json": SIDECAR,
      "sub-10/ses-1/perf/sub-10_ses-1_asl.nii.gz": "",
      "sub-10/ses-1/perf/sub-10_ses-1_asl.json": ASL,
      "sub-10/ses-1/perf/sub-10_ses-1_aslcontext.tsv": "volume_type\n",
      "sub-10/ses-1/perf/sub-10_ses-1_m0scan.nii.gz": "",
      "sub-10/ses-1/perf/sub-10_ses-1_m0scan.json": M0SCAN,
      "sub-10/ses-2/dwi/sub-10_ses-2_dwi.nii.gz": "",
      "sub-10/ses-2/dwi/sub-10_ses-2_dwi.json": SIDECAR,
      "sub-10/ses-2/dwi/sub-10_ses-2_dwi.bval": "0\n",
      "sub-10/ses-2/dwi/sub-10_ses-2_dwi.bvec": "0\n0\n0\n",
      "sub-10/ses-2/beh/sub-10_ses-2_task-nback_beh.tsv": "",
      "sub-10/ses-2/pet/sub-10_ses-2_trc-FDG_pet.nii.gz": "",
      "sub-10/ses-2/pet/sub-10_ses-2_trc-FDG_pet.json": SIDECAR,
      "sub-02/ses-a/anat/sub-02_ses-a_T2w.nii.gz": "",
      "sub-02/ses-a/anat/sub-02_ses-a_T2w.json": SIDECAR,
      "sub-A/ses-1/anat/sub-A_ses-1_FLAIR.nii.gz": "",
      "sub-A/ses-1/anat/sub-A_ses-1_FLAIR.json": SIDECAR,
    });
    const result = checkBidsDataset(root);
    expect(found(result)).toEqual([]);
    expect(result.subjects).toEqual(["02", "10", "A"]);
    expect(result.sessions).toBe(4);
    expect(result.files).toBe(41);
  });

  it("finds sidecars and gradients by inheritance from the session, subject and root", () => {
    write({
      "dataset_description.json": DESCRIPTION,
      README: "",
      "participants.tsv": "participant_id\nsub-01\n",
      "task-rest_bold.json": JSON.stringify({ TaskName: "rest" }),
      "dwi.bval": "0\n",
      "sub-01/sub-01_dwi.bvec": "0\n0\n0\n",
      "sub-01/ses-1/sub-01_ses-1_T1w.json": SIDECAR,
      "sub-01/ses-1/anat/sub-01_ses-1_run-1_T1w.nii.gz": "",
      "sub-01/ses-1/anat/sub-01_ses-1_run-2_T1w.nii.gz": "",
      "sub-01/ses-1/func/sub-01_ses-1_task-rest_run-1_bold.nii.gz": "",
      "sub-01/ses-1/func/sub-01_ses-1_task-rest_run-2_bold.nii.gz": "",
      "sub-01/ses-1/func/sub-01_ses-1_task-rest_bold.json": SIDECAR,
      "sub-01/ses-1/dwi/sub-01_ses-1_acq-b1000_dwi.nii.gz": "",
      "sub-01/ses-1/dwi/sub-01_ses-1_dwi.json": SIDECAR,
    });
    expect(found(checkBidsDataset(root))).toEqual([]);
  });

  it("counts a dangling link (git-annex content not fetched) as a file without reading it", () => {
    dataset({ "sub-01/anat/sub-01_T1w.nii.gz": null });
    symlinkSync("../../.git/annex/objects/x", join(root, "sub-01/anat/sub-01_T1w.nii.gz"));
    const result = checkBidsDataset(root);
    expect(found(result)).toEqual([]);
    expect(result.files).toBe(14);
  });

  it("follows links to folders", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "bids-check-linked-"));
    try {
      mkdirSync(join(elsewhere, "anat"));
      writeFileSync(join(elsewhere, "anat/sub-02_T1w.nii.gz"), "");
      writeFileSync(join(elsewhere, "anat/sub-02_T1w.json"), SIDECAR);
      dataset({ "participants.tsv": "participant_id\nsub-01\nsub-02\n" });
      symlinkSync(elsewhere, join(root, "sub-02"));
      const result = checkBidsDataset(root);
      expect(found(result)).toEqual([]);
      expect([result.subjects, result.files]).toEqual([["01", "02"], 16]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe("the root", () => {
  it.each<[string, Record<string, string | null>, string[][]]>([
    [
      "no dataset_description.json",
      { "dataset_description.json": null },
      [["error", "DATASET_DESCRIPTION_MISSING", "dataset_description.json"]],
    ],
    [
      "a description that is not JSON",
      { "dataset_description.json": "{ Name" },
      [["error", "DATASET_DESCRIPTION_INVALID", "dataset_description.json"]],
    ],
    [
      "a description that is an array",
      { "dataset_description.json": "[]" },
      [["error", "DATASET_DESCRIPTION_INVALID", "dataset_description.json"]],
    ],
    [
      "a derivative description without GeneratedBy",
      {
        "dataset_description.json": JSON.stringify({
          Name: "x",
          BIDSVersion: "1.10.0",
          DatasetType: "derivative",
        }),
      },
      [["error", "JSON_KEY_REQUIRED", "dataset_description.json"]],
    ],
    ["no README", { README: null }, [["warning", "README_MISSING", "README"]]],
    ["README.rst instead of README", { README: null, "README.rst": "x" }, []],
    ["README.txt instead of README", { README: null, "README.txt": "x" }, []],
    [
      "no participants.tsv",
      { "participants.tsv": null },
      [["warning", "PARTICIPANTS_TSV_MISSING", "participants.tsv"]],
    ],
    [
      "participants.tsv without participant_id first",
      { "participants.tsv": "age\tparticipant_id\n30\tsub-01\n" },
      [["error", "PARTICIPANT_ID_COLUMN", "participants.tsv"]],
    ],
    [
      "an empty participants.tsv",
      { "participants.tsv": "" },
      [["error", "PARTICIPANT_ID_COLUMN", "participants.tsv"]],
    ],
    [
      "a subject missing from participants.tsv",
      { "sub-02/anat/sub-02_T1w.nii.gz": "", "sub-02/anat/sub-02_T1w.json": SIDECAR },
      [["warning", "PARTICIPANT_MISSING", "sub-02"]],
    ],
    [
      "a participant without a folder",
      { "participants.tsv": "participant_id\r\nsub-01\r\nsub-03\r\n" },
      [["warning", "PARTICIPANT_WITHOUT_FOLDER", "participants.tsv"]],
    ],
    ["an unknown root file", { "notes.txt": "" }, [["warning", "UNKNOWN_FILE", "notes.txt"]]],
    ["an unknown root folder", { "extra/a.txt": "" }, [["warning", "UNKNOWN_FILE", "extra"]]],
    [
      "a root JSON that is not an inherited sidecar",
      { "foo.json": "{}" },
      [["warning", "UNKNOWN_FILE", "foo.json"]],
    ],
    ["a root file named like a subject", { "sub-02": "" }, [["warning", "UNKNOWN_FILE", "sub-02"]]],
    [
      "the BIDS root files",
      {
        CHANGES: "",
        LICENSE: "",
        "CITATION.cff": "",
        "participants.json": "{}",
        "genetic_info.json": "{}",
        "samples.tsv": "",
        "samples.json": "{}",
        "scans.json": "{}",
        ".bidsignore": "",
        "T1w.json": SIDECAR,
        "task-rest_bold.json": SIDECAR,
      },
      [],
    ],
    [
      "a root participants.json that is not an object",
      { "participants.json": "1" },
      [["error", "SIDECAR_INVALID", "participants.json"]],
    ],
  ])("%s", (_title, changes, expected) => {
    expect(check(changes)).toEqual(expected);
  });

  it.each(["Name", "BIDSVersion"])("names the missing %s", (key) => {
    const description: Record<string, string> = { Name: "x", BIDSVersion: "1.10.0" };
    delete description[key];
    const result = checkBidsDataset(
      dataset({ "dataset_description.json": JSON.stringify(description) }),
    );
    expect(result.findings).toEqual([
      {
        severity: "error",
        code: "JSON_KEY_REQUIRED",
        message: `${key} is required`,
        path: "dataset_description.json",
      },
    ]);
  });

  it("accepts a derivative description with GeneratedBy", () => {
    const description = {
      Name: "x",
      BIDSVersion: "1.10.0",
      DatasetType: "derivative",
      GeneratedBy: [{ Name: "xnat2bids" }],
    };
    expect(check({ "dataset_description.json": JSON.stringify(description) })).toEqual([]);
  });

  it("names the participant without a folder", () => {
    const result = checkBidsDataset(
      dataset({ "participants.tsv": "participant_id\nsub-01\nsub-03\n" }),
    );
    expect(result.findings[0]?.message).toContain("sub-03");
  });
});

describe("subjects and sessions", () => {
  it.each<[string, Record<string, string | null>, string[][]]>([
    [
      "a subject label with a dash",
      { "sub-0-1/anat/x.nii.gz": "" },
      [["error", "SUBJECT_LABEL_INVALID", "sub-0-1"]],
    ],
    [
      "a session label with an underscore",
      {
        "participants.tsv": "participant_id\nsub-01\nsub-02\n",
        "sub-02/ses-a_b/anat/sub-02_T1w.nii.gz": "",
        "sub-02/ses-1/anat/sub-02_ses-1_T1w.nii.gz": "",
        "sub-02/ses-1/anat/sub-02_ses-1_T1w.json": SIDECAR,
      },
      [
        ["error", "SESSION_LABEL_INVALID", "sub-02/ses-a_b"],
        ["warning", "SESSIONS_INCONSISTENT", "sub-01"],
      ],
    ],
    [
      "session folders beside datatype folders",
      {
        "sub-01/ses-1/anat/sub-01_ses-1_T2w.nii.gz": "",
        "sub-01/ses-1/anat/sub-01_ses-1_T2w.json": SIDECAR,
      },
      [["error", "MIXED_SESSIONS", "sub-01"]],
    ],
    [
      "an unknown folder in a subject",
      { "sub-01/other/a.nii": "" },
      [["warning", "UNKNOWN_FILE", "sub-01/other"]],
    ],
    [
      "an unknown file in a subject",
      { "sub-01/notes.txt": "" },
      [["warning", "UNKNOWN_FILE", "sub-01/notes.txt"]],
    ],
    ["the subject's sessions.tsv", { "sub-01/sub-01_sessions.tsv": "session_id\n" }, []],
    [
      "another subject's file in a subject folder",
      { "sub-01/sub-02_T1w.json": "{}" },
      [["error", "SUBJECT_MISMATCH", "sub-01/sub-02_T1w.json"]],
    ],
    [
      "a subject with no data",
      { "participants.tsv": "participant_id\nsub-01\nsub-02\n", "sub-02/anat/x.json": "{}" },
      [
        ["error", "INVALID_NAME", "sub-02/anat/x.json"],
        ["warning", "EMPTY_SUBJECT", "sub-02"],
      ],
    ],
    [
      "an empty subject folder",
      { "participants.tsv": "participant_id\nsub-01\nsub-02\n", "sub-02/.keep": "" },
      [["warning", "EMPTY_SUBJECT", "sub-02"]],
    ],
    [
      "subjects with and without sessions",
      {
        "participants.tsv": "participant_id\nsub-01\nsub-02\n",
        "sub-02/ses-1/anat/sub-02_ses-1_T1w.nii.gz": "",
        "sub-02/ses-1/anat/sub-02_ses-1_T1w.json": SIDECAR,
      },
      [["warning", "SESSIONS_INCONSISTENT", "sub-01"]],
    ],
    [
      "an unknown file and folder in a session",
      {
        "participants.tsv": "participant_id\nsub-01\nsub-02\n",
        "sub-02/ses-1/anat/sub-02_ses-1_T1w.nii.gz": "",
        "sub-02/ses-1/anat/sub-02_ses-1_T1w.json": SIDECAR,
        "sub-02/ses-1/sub-02_ses-2_scans.tsv": "",
        "sub-02/ses-1/dicom/1.dcm": "",
      },
      [
        ["warning", "UNKNOWN_FILE", "sub-02/ses-1/sub-02_ses-2_scans.tsv"],
        ["warning", "UNKNOWN_FILE", "sub-02/ses-1/dicom"],
        ["warning", "SESSIONS_INCONSISTENT", "sub-01"],
      ],
    ],
  ])("%s", (_title, changes, expected) => {
    expect(check(changes)).toEqual(expected);
  });

  it("counts distinct subject/session pairs", () => {
    const result = checkBidsDataset(
      dataset({
        "participants.tsv": "participant_id\nsub-01\nsub-02\n",
        "sub-01/ses-1/anat/sub-01_ses-1_T2w.nii.gz": "",
        "sub-01/ses-1/anat/sub-01_ses-1_T2w.json": SIDECAR,
        "sub-02/ses-1/anat/sub-02_ses-1_T1w.nii.gz": "",
        "sub-02/ses-1/anat/sub-02_ses-1_T1w.json": SIDECAR,
        "sub-02/ses-2/anat/sub-02_ses-2_T1w.nii.gz": "",
        "sub-02/ses-2/anat/sub-02_ses-2_T1w.json": SIDECAR,
      }),
    );
    expect([result.subjects, result.sessions]).toEqual([["01", "02"], 3]);
  });
});

describe("file names", () => {
  it.each<[string, Record<string, string | null>, string[][]]>([
    [
      "a value holding '_'",
      { "sub-01/anat/sub-01_acq-my_label_T2w.nii.gz": "" },
      [["error", "INVALID_NAME", "sub-01/anat/sub-01_acq-my_label_T2w.nii.gz"]],
    ],
    [
      "no extension",
      { "sub-01/anat/sub-01_T2w": "" },
      [["error", "INVALID_NAME", "sub-01/anat/sub-01_T2w"]],
    ],
    [
      "another subject's name",
      { "sub-01/anat/sub-02_T2w.nii.gz": "" },
      [["error", "SUBJECT_MISMATCH", "sub-01/anat/sub-02_T2w.nii.gz"]],
    ],
    [
      "a session entity without a session folder",
      { "sub-01/anat/sub-01_ses-1_T2w.nii.gz": "" },
      [["error", "SESSION_MISMATCH", "sub-01/anat/sub-01_ses-1_T2w.nii.gz"]],
    ],
    [
      "a suffix BIDS does not define",
      { "sub-01/dwi/sub-01_dti.nii.gz": "" },
      [["error", "NOT_BIDS_SUFFIX", "sub-01/dwi/sub-01_dti.nii.gz"]],
    ],
    [
      "a suffix in another datatype's folder",
      { "sub-01/func/sub-01_T2w.nii.gz": "" },
      [["error", "WRONG_DATATYPE", "sub-01/func/sub-01_T2w.nii.gz"]],
    ],
    [
      "an entity the suffix does not allow",
      { "sub-01/anat/sub-01_echo-1_T1map.nii.gz": "" },
      [["error", "INVALID_NAME", "sub-01/anat/sub-01_echo-1_T1map.nii.gz"]],
    ],
    [
      "a missing required entity",
      { "sub-01/fmap/sub-01_epi.nii.gz": "", "sub-01/fmap/sub-01_epi.json": "{}" },
      [
        ["error", "INVALID_NAME", "sub-01/fmap/sub-01_epi.json"],
        ["error", "INVALID_NAME", "sub-01/fmap/sub-01_epi.nii.gz"],
      ],
    ],
    [
      "an extension the suffix does not have",
      { "sub-01/anat/sub-01_T1w.bval": "" },
      [["error", "INVALID_NAME", "sub-01/anat/sub-01_T1w.bval"]],
    ],
    [
      "a deprecated suffix",
      { "sub-01/anat/sub-01_T2star.nii.gz": "", "sub-01/anat/sub-01_T2star.json": SIDECAR },
      [
        ["warning", "DEPRECATED_SUFFIX", "sub-01/anat/sub-01_T2star.json"],
        ["warning", "DEPRECATED_SUFFIX", "sub-01/anat/sub-01_T2star.nii.gz"],
      ],
    ],
    [
      "an unknown folder in a datatype folder",
      { "sub-01/anat/extra/a.txt": "" },
      [["warning", "UNKNOWN_FILE", "sub-01/anat/extra"]],
    ],
  ])("%s", (_title, changes, expected) => {
    expect(check(changes)).toEqual(expected);
  });

  it("gives the parser's messages joined by '; '", () => {
    const result = checkBidsDataset(dataset({ "sub-01/anat/foo_run-x_T2w.nii.gz": "" }));
    expect(result.findings).toEqual([
      {
        severity: "error",
        code: "INVALID_NAME",
        message:
          "'foo' is not a key-value pair (a '_' inside a value, or a missing key); " +
          "run-x: an index holds only digits; the name does not start with a sub- entity",
        path: "sub-01/anat/foo_run-x_T2w.nii.gz",
      },
    ]);
  });

  it("suggests the BIDS spelling of a suffix", () => {
    const result = checkBidsDataset(dataset({ "sub-01/anat/sub-01_t2w.nii.gz": "" }));
    expect(result.findings.map((f) => [f.code, f.message])).toEqual([
      ["NOT_BIDS_SUFFIX", "'t2w' is not a BIDS suffix (BIDS writes 'T2w')"],
    ]);
  });

  it("checks the session of names in session folders", () => {
    write({
      "dataset_description.json": DESCRIPTION,
      README: "",
      "participants.tsv": "participant_id\nsub-01\n",
      "sub-01/ses-1/anat/sub-01_ses-1_T1w.nii.gz": "",
      "sub-01/ses-1/anat/sub-01_ses-1_T1w.json": SIDECAR,
      "sub-01/ses-1/anat/sub-01_ses-2_T2w.nii.gz": "",
      "sub-01/ses-1/anat/sub-01_T2w.nii.gz": "",
      "sub-01/ses-1/sub-01_ses-2_T1w.json": "{}",
    });
    expect(found(checkBidsDataset(root))).toEqual([
      ["error", "SESSION_MISMATCH", "sub-01/ses-1/sub-01_ses-2_T1w.json"],
      ["error", "SESSION_MISMATCH", "sub-01/ses-1/anat/sub-01_T2w.nii.gz"],
      ["error", "SESSION_MISMATCH", "sub-01/ses-1/anat/sub-01_ses-2_T2w.nii.gz"],
    ]);
  });
});

describe("sidecars", () => {
  it.each<[string, Record<string, string | null>, string[][]]>([
    [
      "no sidecar where one is required",
      { "sub-01/func/sub-01_task-rest_bold.json": null },
      [["error", "SIDECAR_MISSING", "sub-01/func/sub-01_task-rest_bold.nii.gz"]],
    ],
    [
      "no sidecar where one is recommended",
      { "sub-01/anat/sub-01_T1w.json": null },
      [["warning", "SIDECAR_MISSING", "sub-01/anat/sub-01_T1w.nii.gz"]],
    ],
    [
      "a sidecar for other entities only",
      {
        "sub-01/func/sub-01_task-rest_bold.json": null,
        "sub-01/func/sub-01_task-rest_run-1_bold.json": SIDECAR,
      },
      [
        ["error", "SIDECAR_MISSING", "sub-01/func/sub-01_task-rest_bold.nii.gz"],
        ["warning", "SIDECAR_ORPHAN", "sub-01/func/sub-01_task-rest_run-1_bold.json"],
      ],
    ],
    [
      "a sidecar of another suffix only",
      { "sub-01/anat/sub-01_T1w.json": null, "T2w.json": SIDECAR },
      [
        ["warning", "SIDECAR_MISSING", "sub-01/anat/sub-01_T1w.nii.gz"],
        ["warning", "SIDECAR_ORPHAN", "T2w.json"],
      ],
    ],
    [
      "a sidecar that is not an object",
      { "sub-01/anat/sub-01_T1w.json": "[1, 2]" },
      [["error", "SIDECAR_INVALID", "sub-01/anat/sub-01_T1w.json"]],
    ],
    [
      "a sidecar that is not JSON",
      { "sub-01/fmap/sub-01_dir-AP_epi.json": "{" },
      [["error", "SIDECAR_INVALID", "sub-01/fmap/sub-01_dir-AP_epi.json"]],
    ],
    [
      "an inherited sidecar that is not an object",
      { "sub-01/anat/sub-01_T1w.json": null, "sub-01/sub-01_T1w.json": "null" },
      [["error", "SIDECAR_INVALID", "sub-01/sub-01_T1w.json"]],
    ],
    [
      "dwi without bval",
      { "sub-01/dwi/sub-01_dwi.bval": null },
      [["error", "DWI_BVAL_MISSING", "sub-01/dwi/sub-01_dwi.nii.gz"]],
    ],
    [
      "dwi without bvec",
      { "sub-01/dwi/sub-01_dwi.bvec": null },
      [["error", "DWI_BVEC_MISSING", "sub-01/dwi/sub-01_dwi.nii.gz"]],
    ],
    [
      "a JSON without data",
      { "sub-01/anat/sub-01_T2w.json": "{}" },
      [["warning", "SIDECAR_ORPHAN", "sub-01/anat/sub-01_T2w.json"]],
    ],
    [
      "an inherited JSON nothing inherits",
      { "task-nback_bold.json": "{}" },
      [["warning", "SIDECAR_ORPHAN", "task-nback_bold.json"]],
    ],
    [
      "events.json beside events.tsv and physio.json beside physio.tsv.gz",
      {
        "sub-01/func/sub-01_task-rest_events.json": "{}",
        "sub-01/func/sub-01_task-rest_physio.tsv.gz": "",
        "sub-01/func/sub-01_task-rest_physio.json": PHYSIO,
      },
      [],
    ],
    ["events.json at the root", { "task-rest_events.json": "{}" }, []],
    [
      "a sidecar only for the sbref (which recommends one)",
      { "sub-01/func/sub-01_task-rest_sbref.nii.gz": "" },
      [["warning", "SIDECAR_MISSING", "sub-01/func/sub-01_task-rest_sbref.nii.gz"]],
    ],
  ])("%s", (_title, changes, expected) => {
    expect(check(changes)).toEqual(expected);
  });

  it("says whether the sidecar was required or recommended", () => {
    const result = checkBidsDataset(dataset({ "sub-01/func/sub-01_task-rest_bold.json": null }));
    expect(result.findings[0]?.message).toContain("required");
  });
});

describe("required sidecar keys", () => {
  const BOLD_NII = "sub-01/func/sub-01_task-rest_bold.nii.gz";
  const BOLD_JSON = "sub-01/func/sub-01_task-rest_bold.json";
  const ASL_FILES = {
    "sub-01/perf/sub-01_asl.nii.gz": "",
    "sub-01/perf/sub-01_asl.json": ASL,
    "sub-01/perf/sub-01_aslcontext.tsv": "volume_type\ncontrol\nlabel\n",
  };
  const withKeys = (keys: Record<string, unknown>) => JSON.stringify({ ...ASL_KEYS, ...keys });

  it("names the key, the data file and its nearest sidecar", () => {
    const result = checkBidsDataset(dataset({ [BOLD_JSON]: SIDECAR }));
    expect(result.findings).toEqual([
      {
        severity: "error",
        code: "SIDECAR_KEY_REQUIRED",
        message: `TaskName is required, but no sidecar of sub-01_task-rest_bold.nii.gz sets it (nearest: ${BOLD_JSON})`,
        path: BOLD_NII,
      },
    ]);
  });

  it.each<[string, Record<string, string | null>, string[][]]>([
    ["a bold sidecar with TaskName and RepetitionTime", {}, []],
    [
      "VolumeTiming instead of RepetitionTime",
      { [BOLD_JSON]: JSON.stringify({ VolumeTiming: [0, 2, 4], TaskName: "rest" }) },
      [],
    ],
    [
      "a key given only by a sidecar higher up",
      { [BOLD_JSON]: SIDECAR, "task-rest_bold.json": JSON.stringify({ TaskName: "rest" }) },
      [],
    ],
    [
      "a nearer sidecar without the key, or with null, does not unset it",
      {
        [BOLD_JSON]: JSON.stringify({ RepetitionTime: 3 }),
        "sub-01/sub-01_task-rest_bold.json": JSON.stringify({ TaskName: null }),
        "task-rest_bold.json": BOLD,
      },
      [],
    ],
    [
      "an inherited sidecar that is not an object: only that finding",
      { [BOLD_JSON]: SIDECAR, "task-rest_bold.json": "[]" },
      [["error", "SIDECAR_INVALID", "task-rest_bold.json"]],
    ],
    [
      "a phasediff without its second echo time",
      {
        "sub-01/fmap/sub-01_phasediff.nii.gz": "",
        "sub-01/fmap/sub-01_phasediff.json": JSON.stringify({ EchoTime1: 0.00492 }),
      },
      [["error", "SIDECAR_KEY_REQUIRED", "sub-01/fmap/sub-01_phasediff.nii.gz"]],
    ],
    [
      "an m0scan in fmap/ (IntendedFor only recommended there)",
      {
        "sub-01/fmap/sub-01_dir-PA_m0scan.nii.gz": "",
        "sub-01/fmap/sub-01_dir-PA_m0scan.json": SIDECAR,
      },
      [],
    ],
    [
      "an m0scan in perf/ that does not say what it is for",
      {
        ...ASL_FILES,
        "sub-01/perf/sub-01_m0scan.nii.gz": "",
        "sub-01/perf/sub-01_m0scan.json": JSON.stringify({
          RepetitionTimePreparation: 4,
          EchoTime: 0.012,
        }),
      },
      [["error", "SIDECAR_KEY_REQUIRED", "sub-01/perf/sub-01_m0scan.nii.gz"]],
    ],
    [
      "a cbv without TaskName (BIDS asks it of bold only)",
      {
        "sub-01/func/sub-01_task-rest_cbv.nii.gz": "",
        "sub-01/func/sub-01_task-rest_cbv.json": "{}",
      },
      [],
    ],
    [
      "a physio recording in perf/ with its columns",
      {
        ...ASL_FILES,
        "sub-01/perf/sub-01_recording-pulse_physio.tsv.gz": "",
        "sub-01/perf/sub-01_recording-pulse_physio.json": PHYSIO,
      },
      [],
    ],
    [
      "a physio recording without the JSON that names its columns",
      {
        "sub-01/func/sub-01_task-rest_physio.tsv.gz": "",
        "sub-01/func/sub-01_task-rest_physio.json": JSON.stringify({ SamplingFrequency: 100 }),
      },
      [
        ["error", "SIDECAR_KEY_REQUIRED", "sub-01/func/sub-01_task-rest_physio.tsv.gz"],
        ["error", "SIDECAR_KEY_REQUIRED", "sub-01/func/sub-01_task-rest_physio.tsv.gz"],
      ],
    ],
    [
      "a scanner ADC map in dwi/ with no gradient files",
      {
        "sub-01/dwi/sub-01_ADC.nii.gz": "",
        "sub-01/dwi/sub-01_ADC.json": SIDECAR,
        "sub-01/dwi/sub-01_trace.nii.gz": "",
        "sub-01/dwi/sub-01_trace.json": SIDECAR,
      },
      [],
    ],
  ])("%s", (_title, changes, expected) => {
    expect(check(changes)).toEqual(expected);
  });

  function messages(changes: Record<string, string | null>): string[] {
    return checkBidsDataset(dataset(changes))
      .findings.filter((f) => f.code === "SIDECAR_KEY_REQUIRED")
      .map((f) => f.message.split(", but")[0] as string);
  }

  it("wants RepetitionTime or VolumeTiming, once", () => {
    expect(messages({ [BOLD_JSON]: JSON.stringify({ TaskName: "rest" }) })).toEqual([
      "RepetitionTime or VolumeTiming is required",
    ]);
  });

  it("wants the parameter an entity numbers", () => {
    expect(
      messages({
        [BOLD_NII]: null,
        "sub-01/func/sub-01_task-rest_echo-1_bold.nii.gz": "",
        "sub-01/anat/sub-01_inv-1_part-phase_MP2RAGE.nii.gz": "",
        "sub-01/anat/sub-01_inv-1_part-phase_MP2RAGE.json": "{}",
      }),
    ).toEqual([
      "InversionTime is required (the name has inv-1)",
      "Units is required (the name has part-phase)",
      "EchoTime is required (the name has echo-1)",
    ]);
  });

  it("lists every ASL key that is missing, and those its labelling type requires", () => {
    expect(messages({ ...ASL_FILES, "sub-01/perf/sub-01_asl.json": "{}" })).toEqual([
      "ArterialSpinLabelingType is required",
      "PostLabelingDelay is required",
      "BackgroundSuppression is required",
      "M0Type is required",
      "TotalAcquiredPairs is required",
      "RepetitionTimePreparation is required",
      "MagneticFieldStrength is required",
      "MRAcquisitionType is required",
      "EchoTime is required",
    ]);
    const pcasl = { ...ASL_KEYS, LabelingDuration: undefined };
    expect(
      messages({ ...ASL_FILES, "sub-01/perf/sub-01_asl.json": JSON.stringify(pcasl) }),
    ).toEqual(['LabelingDuration is required (ArterialSpinLabelingType is "PCASL")']);
    const pasl = withKeys({ ArterialSpinLabelingType: "PASL", M0Type: "Estimate" });
    expect(messages({ ...ASL_FILES, "sub-01/perf/sub-01_asl.json": pasl })).toEqual([
      'BolusCutOffFlag is required (ArterialSpinLabelingType is "PASL")',
      'M0Estimate is required (M0Type is "Estimate")',
    ]);
    const cutOff = withKeys({ ArterialSpinLabelingType: "PASL", BolusCutOffFlag: true });
    expect(messages({ ...ASL_FILES, "sub-01/perf/sub-01_asl.json": cutOff })).toEqual([
      'BolusCutOffDelayTime is required (ArterialSpinLabelingType is "PASL", BolusCutOffFlag is true)',
      'BolusCutOffTechnique is required (ArterialSpinLabelingType is "PASL", BolusCutOffFlag is true)',
    ]);
    const slices = withKeys({ MRAcquisitionType: "2D" });
    expect(messages({ ...ASL_FILES, "sub-01/perf/sub-01_asl.json": slices })).toEqual([
      'SliceTiming is required (MRAcquisitionType is "2D")',
    ]);
  });

  it("checks nothing when the sidecar is missing or not JSON", () => {
    expect(check({ [BOLD_JSON]: null })).toEqual([["error", "SIDECAR_MISSING", BOLD_NII]]);
    expect(check({ [BOLD_JSON]: "{" })).toEqual([["error", "SIDECAR_INVALID", BOLD_JSON]]);
  });
});

describe("unreadable content", () => {
  it("reports a folder that cannot be listed (a link to itself) and goes on", () => {
    dataset({ "sub-01/anat/sub-01_T1w.nii.gz": null, "sub-01/anat/sub-01_T1w.json": null });
    symlinkSync(join(root, "sub-01/anat"), join(root, "sub-01/anat"));
    expect(found(checkBidsDataset(root))).toEqual([["error", "UNREADABLE", "sub-01/anat"]]);
  });

  it("reports a sidecar that cannot be read", () => {
    dataset();
    unlinkSync(join(root, "sub-01/anat/sub-01_T1w.json"));
    symlinkSync("missing.json", join(root, "sub-01/anat/sub-01_T1w.json"));
    expect(found(checkBidsDataset(root))).toEqual([
      ["error", "UNREADABLE", "sub-01/anat/sub-01_T1w.json"],
    ]);
  });

  it("reports an unreadable dataset_description.json and participants.tsv", () => {
    dataset({ "dataset_description.json": null, "participants.tsv": null });
    symlinkSync("dataset_description.json", join(root, "dataset_description.json"));
    symlinkSync("nowhere.tsv", join(root, "participants.tsv"));
    expect(found(checkBidsDataset(root))).toEqual([
      ["error", "UNREADABLE", "dataset_description.json"],
      ["error", "UNREADABLE", "participants.tsv"],
    ]);
  });

  it("throws, naming the path, when the root is not a readable folder", () => {
    const missing = join(root, "missing");
    expect(() => checkBidsDataset(missing)).toThrow(missing);
    writeFileSync(join(root, "file"), "");
    expect(() => checkBidsDataset(join(root, "file"))).toThrow(join(root, "file"));
  });
});
