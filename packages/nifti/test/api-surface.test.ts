// The public face of @radifox/nifti. A removed or renamed export fails here; an added one must
// be added to the list (and to the README's API section).
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const EXPORTS = [
  "DT",
  "FileLockError",
  "NiftiError",
  "NiftiImage",
  "RAS_LABELS",
  "alignQformToSform",
  "axcodes",
  "baseAffine",
  "bestAffine",
  "checkHeader",
  "createImage",
  "dataByteLength",
  "dataShape",
  "datatypeInfo",
  "decodeHeaderFields",
  "defaultHeader",
  "encodeHeaderFields",
  "ioOrientation",
  "niftiFiles",
  "qformAffine",
  "readHeader",
  "readHeaderSync",
  "readImage",
  "rewriteHeader",
  "setQform",
  "setSform",
  "sformAffine",
  "slopeInter",
  "supportedDatatypes",
  "updateHeader",
  "voxelCount",
  "voxelSizes",
  "withFileLock",
  "writeFileAtomic",
  "writeImage",
];

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([...EXPORTS].sort());
  });

  it("NiftiError carries a code and the path", () => {
    const error = new api.NiftiError("E_NIFTI_MAGIC", "bad", { path: "a.nii" });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("E_NIFTI_MAGIC");
    expect(error.path).toBe("a.nii");
    expect(error.message).toBe("a.nii: bad");
  });
});
