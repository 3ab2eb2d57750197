// Every real NIfTI file of python3-nibabel and mricron-data, read here and compared with what
// nibabel computed for it (test/fixtures/nibabel.json, made by scripts/nifti-fixtures.py).
import { describe, expect, it } from "vitest";
import {
  alignQformToSform,
  axcodes,
  bestAffine,
  dataShape,
  ioOrientation,
  NiftiError,
  qformAffine,
  readHeader,
  readHeaderSync,
  readImage,
  sformAffine,
  slopeInter,
  voxelSizes,
} from "../src/index.js";
import {
  bits,
  dataAvailable,
  fileSha256,
  loadFixture,
  nibabelName,
  pathOf,
  requireSystem,
  sha256,
} from "./support.js";

const fixture = loadFixture();
const run = requireSystem("nibabel", dataAvailable());
const HEADER_ONLY_KEYS = new Set(["version", "endianness", "extensions"]);

describe.runIf(run)("real files read as nibabel reads them", () => {
  for (const record of fixture.files) {
    describe(`${record.source}/${record.file}`, () => {
      const path = pathOf(record);

      it("is the file the fixture was made from", () => {
        expect(fileSha256(path), "Debian data changed: rerun scripts/nifti-fixtures.py").toBe(
          record.sha256,
        );
      });

      it("has every header field, the extensions and the byte order nibabel reports", async () => {
        const header = readHeaderSync(path);
        expect(await readHeader(path)).toEqual(header);
        expect(header.version).toBe(record.version);
        expect(header.endianness).toBe(record.endianness);
        const ours: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(header)) {
          const name = nibabelName(key);
          if (!HEADER_ONLY_KEYS.has(key) && name in record.header) ours[name] = value;
        }
        expect(bits(ours)).toEqual(bits(record.header));
        expect(
          header.extensions.map((ext) => ({
            code: ext.code,
            esize: ext.data.length + 8,
            contentLength: ext.data.length,
            contentSha256: sha256(ext.data),
          })),
        ).toEqual(
          record.extensions.map(({ code, esize, contentLength, contentSha256 }) => ({
            code,
            esize,
            contentLength,
            contentSha256,
          })),
        );
      });

      it("gives nibabel's shape, zooms, affines, axis codes and scaling", () => {
        const header = readHeaderSync(path);
        expect(dataShape(header)).toEqual(record.shape);
        expect(bits(voxelSizes(header))).toEqual(bits(record.zooms));
        expect(header.qformCode).toBe(record.qformCode);
        expect(header.sformCode).toBe(record.sformCode);
        expect(bits(qformAffine(header))).toEqual(bits(record.qform));
        expect(bits(sformAffine(header))).toEqual(bits(record.sform));
        expect(bits(bestAffine(header))).toEqual(bits(record.bestAffine));
        expect(axcodes(bestAffine(header))).toEqual(record.axcodes);
        expect(bits(ioOrientation(bestAffine(header)))).toEqual(bits(record.ioOrientation));
        const [slope, inter] = record.slopeInter;
        expect(slopeInter(header)).toEqual(slope === null ? undefined : [slope, inter]);
      });

      it("applies the staging header fix as nibabel does", () => {
        const header = readHeaderSync(path);
        if (record.hdrfix.error !== undefined) {
          // nibabel fails here (a zero sform, or NIfTI-2 rounding beyond its own threshold);
          // we either fail the same way or produce a qform that equals the sform's rotation.
          let fixed: ReturnType<typeof alignQformToSform> | undefined;
          try {
            fixed = alignQformToSform(header);
          } catch (error) {
            expect(error).toBeInstanceOf(NiftiError);
            expect((error as NiftiError).code).toBe("E_NIFTI_GEOMETRY");
            return;
          }
          const q = qformAffine(fixed);
          const s = sformAffine(header);
          for (let i = 0; i < 3; i++) {
            for (let j = 0; j < 4; j++) expect(q[i]![j]).toBeCloseTo(s[i]![j]!, 5);
          }
          return;
        }
        const fixed = alignQformToSform(header);
        const ours = {
          quatern_b: fixed.quaternB,
          quatern_c: fixed.quaternC,
          quatern_d: fixed.quaternD,
          qoffset_x: fixed.qoffsetX,
          qoffset_y: fixed.qoffsetY,
          qoffset_z: fixed.qoffsetZ,
          pixdim: fixed.pixdim,
          qform_code: fixed.qformCode,
          sform_code: fixed.sformCode,
          srow_x: fixed.srowX,
          srow_y: fixed.srowY,
          srow_z: fixed.srowZ,
          qform: qformAffine(fixed),
        };
        const expected = Object.fromEntries(
          Object.keys(ours).map((key) => [key, record.hdrfix[key]]),
        );
        expect(bits(ours)).toEqual(bits(expected));
      });

      const data = record.data;
      if (data === null) {
        it("has no data file, and reading the image says so", async () => {
          await expect(readImage(path)).rejects.toMatchObject({ code: "E_NIFTI_IO" });
        });
        return;
      }

      it("reads the stored voxels and nibabel's get_fdata() in float64 and float32", async () => {
        const image = await readImage(path);
        expect(sha256(image.data)).toBe(data.storedSha256);
        if (data.float64Sha256 !== null) {
          expect(sha256(image.getFloatData("float64"))).toBe(data.float64Sha256);
          expect(sha256(image.getFloatData("float32"))).toBe(data.float32Sha256);
          // Converting while decompressing gives the same values.
          const piped = await readImage(path, { float: "float32" });
          expect(sha256(piped.getFloatData("float32"))).toBe(data.float32Sha256);
        }
      });
    });
  }
});
