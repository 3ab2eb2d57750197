// Files we write, checked by independent readers: nibabel (Debian python3) must load them with
// identical data and affines, and nifti_tool (nifti-bin) must call their headers good.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  alignQformToSform,
  bestAffine,
  createImage,
  DT,
  type NiftiImage,
  qformAffine,
  readHeaderSync,
  readImage,
  rewriteHeader,
  sformAffine,
  writeImage,
} from "../src/index.js";
import {
  bits,
  DEBIAN_PYTHON,
  dataAvailable,
  hasNibabel,
  hasNiftiTool,
  loadFixture,
  pathOf,
  requireSystem,
  sha256,
  tempDir,
} from "./support.js";

const fixture = loadFixture();
const withData = fixture.files.filter((record) => record.data !== null);
const runNibabel = requireSystem("python", hasNibabel() && dataAvailable());
const runNiftiTool = requireSystem("nifti_tool", hasNiftiTool());
const { dir, cleanup } = tempDir();
afterAll(cleanup);

/** What nibabel sees in each file: stored data checksum (little-endian, Fortran order) and affine. */
function nibabelView(paths: string[]): { sha256: string; affine: number[][]; shape: number[] }[] {
  const script = `
import hashlib, json, sys
import nibabel as nib, numpy as np
out = []
for path in json.loads(sys.argv[1]):
    img = nib.load(path)
    if not hasattr(img, "affine"):  # CIFTI-2 files load as Cifti2Image; read the NIfTI-2 part
        img = nib.Nifti2Image.from_filename(path)
    arr = np.asanyarray(img.dataobj.get_unscaled())
    arr = arr.astype(arr.dtype.newbyteorder('<'))
    out.append({"sha256": hashlib.sha256(arr.tobytes(order='F')).hexdigest(),
                "affine": img.affine.tolist(), "shape": list(img.shape)})
print(json.dumps(out))
`;
  const output = execFileSync(DEBIAN_PYTHON, ["-c", script, JSON.stringify(paths)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.toString());
}

function niftiToolSays(path: string): string {
  return execFileSync("nifti_tool", ["-check_hdr", "-check_nim", "-infiles", path], {
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
}

describe.runIf(runNibabel)("written files load in nibabel with identical data and affines", () => {
  const outputs: { path: string; record: (typeof withData)[number] }[] = [];

  it("writes every real image as .nii.gz and .nii (several gzip members for the larger ones)", async () => {
    for (const record of withData) {
      const image = await readImage(pathOf(record));
      const stem = `${record.source}-${record.file.replace(/\.(nii|hdr)(\.gz)?$/, "")}`;
      for (const ext of [".nii.gz", ".nii"]) {
        const path = join(dir, `${stem}${ext}`);
        await writeImage(path, image, { gzipMemberSize: 1 << 20 });
        outputs.push({ path, record });
        // Our own reader gets the same header fields and voxels back.
        const back = await readImage(path);
        expect(sha256(back.data)).toBe(record.data?.storedSha256);
        expect(bits(bestAffine(back.header))).toEqual(bits(record.bestAffine));
        expect(back.header.extensions).toEqual(image.header.extensions);
      }
    }
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("nibabel reads them as it reads the originals", () => {
    const seen = nibabelView(outputs.map((output) => output.path));
    seen.forEach((view, i) => {
      const { record, path } = outputs[i]!;
      expect({ path, sha256: view.sha256, shape: view.shape }).toEqual({
        path,
        sha256: record.data?.storedSha256,
        shape: record.shape,
      });
      expect(bits(view.affine)).toEqual(bits(record.bestAffine));
    });
  });

  // nifti_tool of nifticlib 3.0.1 rejects NIfTI-2 headers, nibabel's own test file included, so
  // it checks the NIfTI-1 outputs; nibabel checks all of them above.
  it.runIf(runNiftiTool)("nifti_tool calls every NIfTI-1 header and image good", () => {
    for (const { path } of outputs.filter((output) => output.record.version === 1)) {
      const report = niftiToolSays(path);
      expect(report, path).toContain("header IS GOOD");
      expect(report, path).toContain("nifti_image IS GOOD");
    }
  });

  it("multi-member gzip output passes gzip -t", () => {
    const big = outputs.find((output) => output.path.endsWith("mricron-ch2better.nii.gz"));
    expect(big).toBeDefined();
    expect(statSync(big!.path).size).toBeGreaterThan(1 << 20);
    execFileSync("gzip", ["-t", big!.path]);
  });
});

describe.runIf(runNibabel)("NIfTI-2, new images and every datatype", () => {
  it("writes NIfTI-2 on request and for sizes above 32767; nibabel agrees", async () => {
    const small = createImage({
      data: Int16Array.from({ length: 24 }, (_, i) => i - 12),
      shape: [2, 3, 4],
      affine: [
        [0, 0, 2.5, -10],
        [-1.5, 0, 0, 20],
        [0, 1, 0, -30],
        [0, 0, 0, 1],
      ],
    });
    const long = createImage({ data: new Uint8Array(40000).fill(7), shape: [40000, 1, 1] });
    expect(long.header.version).toBe(2);
    const paths = [join(dir, "v2.nii.gz"), join(dir, "long.nii")];
    await writeImage(paths[0]!, small, { version: 2 });
    await writeImage(paths[1]!, long);
    expect(readHeaderSync(paths[0]!).version).toBe(2);
    const [v2, wide] = nibabelView(paths);
    expect(v2?.sha256).toBe(sha256(small.data));
    expect(bits(v2?.affine)).toEqual(bits(small.affine));
    expect(wide?.shape).toEqual([40000, 1, 1]);
    expect(wide?.sha256).toBe(sha256(long.data));
  });

  it("writes every supported datatype so that nibabel reads the same values", async () => {
    const cases: [number, NiftiImage["data"]][] = [
      [DT.UINT8, Uint8Array.of(0, 1, 254, 255)],
      [DT.INT8, Int8Array.of(-128, -1, 0, 127)],
      [DT.INT16, Int16Array.of(-32768, -1, 0, 32767)],
      [DT.UINT16, Uint16Array.of(0, 1, 65534, 65535)],
      [DT.INT32, Int32Array.of(-(2 ** 31), -1, 0, 2 ** 31 - 1)],
      [DT.UINT32, Uint32Array.of(0, 1, 2 ** 32 - 2, 2 ** 32 - 1)],
      [DT.INT64, BigInt64Array.of(-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n)],
      [DT.UINT64, BigUint64Array.of(0n, 1n, 2n ** 64n - 2n, 2n ** 64n - 1n)],
      [DT.FLOAT32, Float32Array.of(-0, Number.NaN, 1e-40, 3.4e38)],
      [DT.FLOAT64, Float64Array.of(-0, Number.NaN, 5e-324, 1.7e308)],
      [DT.COMPLEX64, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8)],
      [DT.COMPLEX128, Float64Array.of(1, -2, 3, -4, 5, -6, 7, -8)],
      [DT.RGB24, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)],
      [DT.RGBA32, Uint8Array.from({ length: 16 }, (_, i) => i * 10)],
    ];
    const paths: string[] = [];
    for (const [datatype, data] of cases) {
      const path = join(dir, `dt-${datatype}.nii.gz`);
      await writeImage(path, createImage({ data, shape: [2, 2, 1], datatype }));
      paths.push(path);
      const back = await readImage(path);
      expect(sha256(back.data)).toBe(sha256(data));
    }
    const views = nibabelView(paths);
    views.forEach((view, i) => {
      expect(view.sha256).toBe(sha256(cases[i]![1]));
    });
  });
});

describe.runIf(runNibabel)("rewriteHeader: the staging header fix, data streamed through", () => {
  it("gives nibabel's hdrfix header and the original data, keeping unedited bytes", async () => {
    const names = ["example4d.nii.gz", "anatomical.nii", "functional.nii", "standard.nii.gz"];
    const records = fixture.files.filter((record) => names.includes(record.file));
    expect(records).toHaveLength(names.length);
    const outputs: string[] = [];
    for (const record of records) {
      const output = join(dir, `hdrfix-${record.file.replace(/\..*$/, "")}.nii.gz`);
      const written = await rewriteHeader(pathOf(record), output, alignQformToSform);
      outputs.push(output);
      const header = readHeaderSync(output);
      expect(header.endianness).toBe(record.endianness);
      expect(bits(qformAffine(header))).toEqual(bits(record.hdrfix.qform));
      expect(bits(sformAffine(header))).toEqual(
        bits([record.hdrfix.srow_x, record.hdrfix.srow_y, record.hdrfix.srow_z, [0, 0, 0, 1]]),
      );
      expect(header.qformCode).toBe(2);
      expect(header.sformCode).toBe(1);
      expect(written.descrip).toBe(readHeaderSync(pathOf(record)).descrip);
    }
    const views = nibabelView(outputs);
    views.forEach((view, i) => {
      expect(view.sha256).toBe(records[i]!.data?.storedSha256);
    });
  });

  it("may replace its input in place, and refuses layout changes without touching files", async () => {
    const path = join(dir, "in-place.nii");
    writeFileSync(path, readFileSync(pathOf({ source: "nibabel", file: "anatomical.nii" })));
    const before = readFileSync(path);
    await expect(rewriteHeader(path, path, { datatype: DT.FLOAT32 })).rejects.toMatchObject({
      code: "E_NIFTI_OPTION",
    });
    expect(readFileSync(path).equals(before)).toBe(true);
    await rewriteHeader(path, path, { descrip: "edited" });
    const after = readFileSync(path);
    expect(after.length).toBe(before.length);
    const differing: number[] = [];
    for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) differing.push(i);
    // Only descrip (bytes 148..227) changed; data and every other field are byte-identical.
    expect(differing.every((i) => i >= 148 && i < 228)).toBe(true);
    expect(readHeaderSync(path).descrip).toBe("edited");
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });
});
