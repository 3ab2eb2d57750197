// The quaternion geometry against nibabel: get_qform from stored quaternions (nibabel works in
// 80-bit long double; we emulate it exactly) and set_qform of synthetic affines.
import { describe, expect, it } from "vitest";
import {
  axcodes,
  defaultHeader,
  ioOrientation,
  NiftiError,
  qformAffine,
  setQform,
  updateHeader,
} from "../src/index.js";
import { bits, loadFixture } from "./support.js";

const fixture = loadFixture();

describe("qformAffine equals nibabel's get_qform bit for bit", () => {
  for (const entry of fixture.getQform) {
    it(`${entry.name} (NIfTI-${entry.version})`, () => {
      const [b, c, d] = entry.storedQuatern as [number, number, number];
      const [x, y, z] = entry.storedQoffset as [number, number, number];
      const header = updateHeader(defaultHeader(entry.version), {
        quaternB: b,
        quaternC: c,
        quaternD: d,
        qoffsetX: x,
        qoffsetY: y,
        qoffsetZ: z,
        pixdim: [...entry.storedPixdim, 1, 1, 1, 1].slice(0, 8),
      });
      if ("error" in entry.qform) {
        expect(() => qformAffine(header)).toThrow(NiftiError);
        return;
      }
      expect(bits(qformAffine(header))).toEqual(bits(entry.qform));
    });
  }
});

describe("setQform stores what nibabel's set_qform stores", () => {
  for (const entry of fixture.setQform) {
    it(`${entry.name} (NIfTI-${entry.version})`, () => {
      if ("error" in entry.axcodes) {
        // nibabel's SVD fails on a NaN entry; ours refuses non-finite affines.
        expect(() => axcodes(entry.affine)).toThrow(NiftiError);
        expect(() => ioOrientation(entry.affine)).toThrow(NiftiError);
      } else {
        expect(axcodes(entry.affine)).toEqual(entry.axcodes);
        expect(bits(ioOrientation(entry.affine))).toEqual(bits(entry.ioOrientation));
      }
      const header = defaultHeader(entry.version);
      if (entry.error !== undefined) {
        expect(() => setQform(header, entry.affine, 1)).toThrow(NiftiError);
        return;
      }
      const stored = setQform(header, entry.affine, 1);
      expect(stored.qformCode).toBe(1);
      expect(
        bits({
          quatern: [stored.quaternB, stored.quaternC, stored.quaternD],
          qoffset: [stored.qoffsetX, stored.qoffsetY, stored.qoffsetZ],
          pixdim: stored.pixdim,
          qform: qformAffine(stored),
        }),
      ).toEqual(
        bits({
          quatern: [entry.quatern_b, entry.quatern_c, entry.quatern_d],
          qoffset: [entry.qoffset_x, entry.qoffset_y, entry.qoffset_z],
          pixdim: entry.pixdim,
          qform: entry.qform,
        }),
      );
    });
  }
});
