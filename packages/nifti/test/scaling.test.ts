// getFloatData against nibabel's get_fdata for every real datatype and awkward scale factors:
// images written here, read back by nibabel, checksums of the float arrays compared.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createImage, DT, type NiftiImage, readImage, writeImage } from "../src/index.js";
import { DEBIAN_PYTHON, hasNibabel, requireSystem, sha256, tempDir } from "./support.js";

const run = requireSystem("python", hasNibabel());
const { dir, cleanup } = tempDir();
afterAll(cleanup);

const VALUES = [-3, -1, 0, 1, 2, 7, 100, 127];
const DATA: [number, NiftiImage["data"]][] = [
  [DT.UINT8, Uint8Array.from(VALUES, (v) => Math.abs(v))],
  [DT.INT8, Int8Array.from(VALUES)],
  [DT.INT16, Int16Array.from(VALUES, (v) => v * 251)],
  [DT.UINT16, Uint16Array.from(VALUES, (v) => Math.abs(v) * 509)],
  [DT.INT32, Int32Array.from(VALUES, (v) => v * 16777259)],
  [DT.UINT32, Uint32Array.from(VALUES, (v) => Math.abs(v) * 33554467)],
  [DT.INT64, BigInt64Array.from(VALUES, (v) => BigInt(v) * 9007199254740993n)],
  [DT.FLOAT32, Float32Array.from(VALUES, (v) => v * 0.1)],
  [DT.FLOAT64, Float64Array.from(VALUES, (v) => v / 3)],
];
const SCALES: [number, number][] = [
  [1, 0],
  [0, 5],
  [Number.NaN, 0],
  [0.1, 0],
  [1, -1024.5],
  [0.075424, 3100.76],
  [1e-7, 1e7],
  [-2.5, 0.3],
];

describe.runIf(run)("getFloatData equals nibabel's get_fdata", () => {
  it("for every real datatype and scale, in float64 and float32", async () => {
    const cases: { path: string; image: NiftiImage }[] = [];
    for (const [datatype, data] of DATA) {
      for (const [slope, inter] of SCALES) {
        const image = createImage({
          data,
          shape: [2, 2, 2],
          datatype,
          fields: { sclSlope: slope, sclInter: inter },
        });
        const path = join(dir, `s-${datatype}-${cases.length}.nii`);
        await writeImage(path, image);
        cases.push({ path, image: await readImage(path) });
      }
    }
    const script = `
import hashlib, json, sys
import nibabel as nib, numpy as np
out = []
for path in json.loads(sys.argv[1]):
    row = []
    for dtype in (np.float64, np.float32):
        arr = nib.load(path).get_fdata(dtype=dtype)
        row.append(hashlib.sha256(arr.astype(arr.dtype.newbyteorder('<')).tobytes(order='F')).hexdigest())
    out.append(row)
print(json.dumps(out))
`;
    const sums: [string, string][] = JSON.parse(
      execFileSync(DEBIAN_PYTHON, [
        "-c",
        script,
        JSON.stringify(cases.map((c) => c.path)),
      ]).toString(),
    );
    const mismatches = cases.flatMap(({ path, image }, i) => {
      const [f64, f32] = sums[i]!;
      const ours = [sha256(image.getFloatData("float64")), sha256(image.getFloatData("float32"))];
      return ours[0] === f64 && ours[1] === f32 ? [] : [path];
    });
    expect(mismatches).toEqual([]);
  });
});
