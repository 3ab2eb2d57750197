// The public face of @radifox/qa. A removed or renamed export fails here; an added one must be
// added to the list (and to the README's API section).
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const EXPORTS = [
  "DEFAULT_FRACTIONS",
  "LUTS",
  "PLANES",
  "QaError",
  "blendOverlay",
  "castToUint8",
  "createQaImage",
  "encodePng",
  "lutTable",
  "montage",
  "montageLayout",
  "percentile",
  "renderQaImage",
  "resample1mm",
  "resampleAxis",
  "resampleIndices",
  "roundHalfEven",
  "scaleToUint8",
  "slicePlan",
];

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([...EXPORTS].sort());
  });

  it("QaError carries a code, the path and the cause", () => {
    const cause = new Error("low level");
    const error = new api.QaError("E_QA_READ", "bad", { path: "a.nii.gz", cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("QaError");
    expect(error.code).toBe("E_QA_READ");
    expect(error.path).toBe("a.nii.gz");
    expect(error.cause).toBe(cause);
    expect(error.message).toBe("a.nii.gz: bad");
  });

  it("freezes the shared tables", () => {
    expect(Object.isFrozen(api.LUTS)).toBe(true);
    expect(Object.isFrozen(api.LUTS.binary[1])).toBe(true);
    expect(Object.isFrozen(api.DEFAULT_FRACTIONS)).toBe(true);
    expect(api.PLANES).toEqual(["axial", "sagittal", "coronal"]);
  });
});
