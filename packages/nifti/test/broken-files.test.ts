// A corpus of broken files made from real ones: every read ends in a NiftiError with a code
// and the path (never another exception, a hang or a huge allocation), and a failed rewrite
// leaves no output behind.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  NiftiError,
  type NiftiErrorCode,
  readHeader,
  readHeaderSync,
  readImage,
  rewriteHeader,
  voxelCount,
} from "../src/index.js";
import { dataAvailable, pathOf, requireSystem, tempDir } from "./support.js";

const run = requireSystem("nibabel", dataAvailable());
const { dir, cleanup } = tempDir();
afterAll(cleanup);

function source(file: string): Buffer {
  return readFileSync(pathOf({ source: "nibabel", file }));
}

/** Plain bytes of a real NIfTI-1 file (anatomical.nii is big-endian; functional.nii little). */
function plain(): Buffer {
  return Buffer.from(source("functional.nii"));
}

function put(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function expectFailure(path: string, codes: NiftiErrorCode[]): Promise<void> {
  let failure: unknown;
  try {
    await readImage(path);
  } catch (error) {
    failure = error;
  }
  expect(failure, `${path} should not read`).toBeInstanceOf(NiftiError);
  expect(codes).toContain((failure as NiftiError).code);
  expect((failure as NiftiError).path).toBe(path);
  expect((failure as NiftiError).message).toContain(path);
}

function withInt16(bytes: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeInt16LE(value, offset);
  return copy;
}

describe.runIf(run)("broken files give NiftiErrors", () => {
  it("truncated files, plain and gzip, at every interesting length", async () => {
    const bytes = plain();
    for (const length of [0, 3, 100, 347, 348, 351, 352, 1000, bytes.length - 1]) {
      const cut = bytes.subarray(0, length);
      await expectFailure(put(`cut-${length}.nii`, cut), ["E_NIFTI_TRUNCATED", "E_NIFTI_MAGIC"]);
      const gz = gzipSync(cut);
      await expectFailure(put(`cut-${length}.nii.gz`, gz), ["E_NIFTI_TRUNCATED", "E_NIFTI_MAGIC"]);
      // A gzip stream cut short, not only short content.
      const whole = gzipSync(bytes);
      const short = whole.subarray(0, Math.min(length, whole.length - 1));
      await expectFailure(put(`gzcut-${length}.nii.gz`, short), [
        "E_NIFTI_TRUNCATED",
        "E_NIFTI_MAGIC",
        "E_NIFTI_GZIP",
      ]);
    }
  });

  it("wrong magic, wrong sizeof_hdr, Analyze headers", async () => {
    const bytes = plain();
    const magic = Buffer.from(bytes);
    magic.write("abc\0", 344, "latin1");
    await expectFailure(put("magic.nii", magic), ["E_NIFTI_MAGIC"]);
    const size = Buffer.from(bytes);
    size.writeInt32LE(1234, 0);
    await expectFailure(put("sizeof.nii", size), ["E_NIFTI_MAGIC"]);
    const hdr = pathOf({ source: "nibabel", file: "analyze.hdr" });
    expect(() => readHeaderSync(hdr)).toThrow(/Analyze/);
  });

  it("dims that the file cannot hold, negative or absurd dims, without allocating them", async () => {
    const bytes = plain();
    await expectFailure(put("dims-big.nii", withInt16(bytes, 42, 17 * 100)), ["E_NIFTI_TRUNCATED"]);
    await expectFailure(put("dims-neg.nii", withInt16(bytes, 44, -3)), ["E_NIFTI_DIMS"]);
    await expectFailure(put("dim0.nii", withInt16(bytes, 40, 9)), ["E_NIFTI_DIMS"]);
    let absurd: Buffer = Buffer.from(bytes);
    for (let i = 1; i <= 7; i++) absurd = withInt16(absurd, 40 + 2 * i, 32767);
    absurd = withInt16(absurd, 40, 7);
    await expectFailure(put("absurd.nii", absurd), ["E_NIFTI_DIMS", "E_NIFTI_TRUNCATED"]);
    await expectFailure(put("absurd.nii.gz", gzipSync(absurd)), [
      "E_NIFTI_DIMS",
      "E_NIFTI_TRUNCATED",
    ]);
    // NIfTI-2: a 64-bit size of 2^50 voxels.
    const two = Buffer.from(gunzipSync(source("example_nifti2.nii.gz")));
    two.writeBigInt64LE(2n ** 50n, 24);
    await expectFailure(put("absurd2.nii.gz", gzipSync(two)), [
      "E_NIFTI_DIMS",
      "E_NIFTI_TRUNCATED",
    ]);
  });

  it("unsupported and unknown datatypes", async () => {
    const bytes = plain();
    for (const code of [0, 1, 1536, 2048, 9999]) {
      await expectFailure(put(`dt-${code}.nii`, withInt16(bytes, 70, code)), ["E_NIFTI_DATATYPE"]);
    }
    // The header alone still reads: a scan can list the file and say what is wrong with it.
    expect(readHeaderSync(join(dir, "dt-1536.nii")).datatype).toBe(1536);
  });

  it("corrupt gzip data and checksums", async () => {
    const gz = Buffer.from(gzipSync(plain()));
    const middle = Buffer.from(gz);
    const half = Math.floor(gz.length / 2);
    for (let i = half; i < half + 60; i++) middle[i] = (middle[i] as number) ^ 0x5a;
    await expectFailure(put("corrupt.nii.gz", middle), ["E_NIFTI_GZIP", "E_NIFTI_TRUNCATED"]);
    const crc = Buffer.from(gz);
    crc[crc.length - 6] = (crc[crc.length - 6] as number) ^ 1;
    await expectFailure(put("crc.nii.gz", crc), ["E_NIFTI_GZIP"]);
  });

  it("extensions that overrun the data offset, vox_offset beyond the file", async () => {
    const gz = gunzipSync(source("example4d.nii.gz"));
    const ext = Buffer.from(gz);
    ext.writeInt32LE(4096, 352);
    await expectFailure(put("ext.nii", ext), ["E_NIFTI_HEADER"]);
    const offset = Buffer.from(plain());
    offset.writeFloatLE(1e9, 108);
    await expectFailure(put("offset.nii", offset), ["E_NIFTI_TRUNCATED"]);
  });

  it("missing files and names that are not NIfTI", async () => {
    await expectFailure(join(dir, "missing.nii.gz"), ["E_NIFTI_IO"]);
    await expect(readHeader(join(dir, "image.png"))).rejects.toMatchObject({
      code: "E_NIFTI_PATH",
    });
  });

  it("a failed rewrite leaves neither output nor temporary files", async () => {
    const input = join(dir, "gzcut-1000.nii.gz");
    const output = join(dir, "rewritten.nii.gz");
    await expect(rewriteHeader(input, output, { descrip: "x" })).rejects.toBeInstanceOf(NiftiError);
    const left = readdirSync(dir).filter(
      (name) => name.startsWith("rewritten") || name.endsWith(".tmp"),
    );
    expect(left).toEqual([]);
  });

  it("random corruption of real files: a NiftiError or a clean read, nothing else", async () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const originals = [
      plain(),
      source("standard.nii.gz"),
      source("example4d.nii.gz").subarray(0, 4000),
    ];
    for (let round = 0; round < 300; round++) {
      const base = originals[round % originals.length] as Buffer;
      const bytes = Buffer.from(base);
      const flips = 1 + Math.floor(random() * 8);
      for (let k = 0; k < flips; k++) {
        const at = Math.floor(random() * Math.min(bytes.length, 700));
        bytes[at] = Math.floor(random() * 256);
      }
      const path = put(`fuzz-${round}.nii${base[0] === 0x1f ? ".gz" : ""}`, bytes);
      try {
        const image = await readImage(path);
        // A read that succeeds holds exactly the voxels its header describes.
        expect(image.data.length).toBe(voxelCount(image.header) * image.datatype.components);
      } catch (error) {
        expect(error, String(error)).toBeInstanceOf(NiftiError);
      }
      try {
        readHeaderSync(path);
      } catch (error) {
        expect(error, String(error)).toBeInstanceOf(NiftiError);
      }
    }
  });
});
