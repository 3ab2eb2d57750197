import { describe, expect, it } from "vitest";
import { NameError } from "./errors.js";
import { formatName, type NameInput, parseName } from "./name.js";

const T1 = "STUDY-123456_1_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE";

function failure(name: string): NameError {
  try {
    parseName(name);
  } catch (error) {
    if (error instanceof NameError) return error;
    throw error;
  }
  throw new Error(`${name} parsed`);
}

describe("parseName", () => {
  it("reads every part of a full name", () => {
    expect(parseName(`${T1}-ECHO1-MAG_n4_espreso-smore.nii.gz`)).toEqual({
      name: `${T1}-ECHO1-MAG_n4_espreso-smore.nii.gz`,
      stem: `${T1}-ECHO1-MAG_n4_espreso-smore`,
      subjectId: "STUDY-123456",
      sessionId: "1",
      imageId: "01-03",
      studyNumber: "01",
      seriesNumber: "03",
      imageType: "BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO1-MAG",
      bodypart: "BRAIN",
      modality: "T1",
      technique: "IRFSPGR",
      acqdim: "3D",
      orientation: "SAGITTAL",
      excontrast: "PRE",
      extras: ["ECHO1", "MAG"],
      tags: ["n4", "espreso-smore"],
      ext: ".nii.gz",
    });
  });

  it("accepts names without extension, extras or tags", () => {
    const parts = parseName(T1);
    expect([parts.ext, parts.extras, parts.tags]).toEqual(["", [], []]);
  });

  it.each([
    // name, part, index, length
    ["STUDY-123456_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE.nii.gz", "sessionId", 13, 5],
    ["STUDY-123456_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE_n4.nii.gz", "sessionId", 13, 5],
    ["STUDY-123456_1_01-03_BRAIN-T1.nii.gz", "technique", 29, 0],
    ["STUDY-123456_1_0103_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE.nii.gz", "imageId", 15, 4],
    ["STUDY-123456_1_0a-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE.nii.gz", "studyNumber", 16, 1],
    [`${T1}-5.0.nii.gz`, "ext", T1.length + 2, 2],
    [`${T1}_.nii.gz`, "tags", T1.length + 1, 0],
    [`${T1}-.nii.gz`, "extras", T1.length + 1, 0],
    ["STUDY-123456_1_01-03_BRAIN--SE-2D-AXIAL-PRE.nii", "modality", 27, 0],
    ["STUDY 1_1_01-03_BRAIN-T1-SE-2D-AXIAL-PRE.nii", "subjectId", 5, 1],
    ["", "name", 0, 0],
    ["nii/x.nii", "name", 3, 1],
    ["a_b_c_d.e_f.nii.gz", "imageId", 4, 1],
  ] as const)("rejects %s at its %s", (name, part, index, length) => {
    const error = failure(name);
    expect(error.code).toBe("E_NAME_SYNTAX");
    expect([error.part, error.index, error.length]).toEqual([part, index, length]);
    expect(error.fileName).toBe(name);
  });

  it("says why a dot inside a component is a problem", () => {
    expect(failure(`${T1}-5.0.nii.gz`).message).toMatch(/'\.' inside a name component/);
  });

  it("names the missing type component", () => {
    expect(failure("S_1_01-03_BRAIN-T1-SE.nii").message).toMatch(
      /has 3 of 6 components; missing acqdim/,
    );
  });
});

describe("formatName", () => {
  const parts: NameInput = {
    subjectId: "STUDY-123456",
    sessionId: "1",
    studyNumber: 1,
    seriesNumber: 3,
    bodypart: "BRAIN",
    modality: "T1",
    technique: "IRFSPGR",
    acqdim: "3D",
    orientation: "SAGITTAL",
    excontrast: "PRE",
  };

  it("builds names, padding numeric counters to two digits", () => {
    expect(formatName(parts)).toBe(T1);
    expect(
      formatName({
        ...parts,
        studyNumber: 12,
        seriesNumber: 104,
        extras: ["ECHO1"],
        tags: ["n4"],
        ext: ".nii.gz",
      }),
    ).toBe("STUDY-123456_1_12-104_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO1_n4.nii.gz");
  });

  it("round-trips through parseName", () => {
    const name = formatName({
      ...parts,
      extras: ["INV1", "REA"],
      tags: ["uniden", "hdrfix"],
      ext: ".nii.gz",
    });
    const parsed = parseName(name);
    expect(formatName(parsed)).toBe(name);
    expect(parsed.extras).toEqual(["INV1", "REA"]);
  });

  it.each([
    [{ modality: "T1_X" }, "modality", /'_'/],
    [{ technique: "IR-FSPGR" }, "technique", /'-'/],
    [{ extras: ["5.0"] }, "extras", /'\.'/],
    [{ tags: ["n4.x"] }, "tags", /'\.'/],
    [{ tags: [""] }, "tags", /empty tag/],
    [{ subjectId: "A_B" }, "subjectId", /'_'/],
    [{ sessionId: " 1" }, "sessionId", /whitespace/],
    [{ studyNumber: "1a" }, "studyNumber", /digits/],
    [{ seriesNumber: -1 }, "seriesNumber", /non-negative/],
    [{ ext: "nii" }, "ext", /must start with '.'/],
    [{ ext: ".nii..gz" }, "ext", /not a file extension/],
  ] as const)("refuses %o", (change, part, message) => {
    try {
      formatName({ ...parts, ...change } as NameInput);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NameError);
      expect((error as NameError).part).toBe(part);
      expect((error as NameError).message).toMatch(message);
    }
  });

  it("allows '-' in ids and tags, where it is not a separator", () => {
    const name = formatName({ ...parts, subjectId: "PROJ-SITE-001", tags: ["espreso-smore"] });
    expect(parseName(name).tags).toEqual(["espreso-smore"]);
    expect(parseName(name).subjectId).toBe("PROJ-SITE-001");
  });
});
