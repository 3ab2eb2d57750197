import { describe, expect, it } from "vitest";
import { NiftiError } from "./errors.js";
import { createImage } from "./image.js";

describe("NiftiImage", () => {
  const data = Int16Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i);
  const image = createImage({ data, shape: [2, 3, 4, 5] });

  it("splits 4-D images into 3-D volumes that share the buffer", () => {
    expect(image.volumeCount).toBe(5);
    const third = image.volume(2);
    expect(third.shape).toEqual([2, 3, 4]);
    expect(third.data[0]).toBe(48);
    expect(third.data.buffer).toBe(data.buffer);
    expect(() => image.volume(5)).toThrow(NiftiError);
  });

  it("refuses data that does not fit the shape or the datatype", () => {
    expect(() => createImage({ data, shape: [2, 3, 4] })).toThrow(/needs 24 array elements/);
    expect(() => createImage({ data, shape: [2, 3, 4, 5], datatype: 16 })).toThrow(
      /needs a Float32Array/,
    );
    expect(() => createImage({ data, shape: [] })).toThrow(NiftiError);
  });

  it("stores an affine as nibabel's Nifti1Image(data, affine): sform aligned, qform unknown", () => {
    const affine = [
      [2, 0, 0, -10],
      [0, 3, 0, 20],
      [0, 0, 4, -30],
      [0, 0, 0, 1],
    ];
    const { header } = createImage({ data, shape: [2, 3, 4, 5], affine });
    expect(header.sformCode).toBe(2);
    expect(header.qformCode).toBe(0);
    expect(header.pixdim.slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect(header.dim).toEqual([4, 2, 3, 4, 5, 1, 1, 1]);
  });

  it("has no float data for complex voxels", () => {
    const complex = createImage({ data: new Float32Array(8), shape: [2, 2], datatype: 32 });
    expect(() => complex.getFloatData()).toThrow(/complex64/);
  });
});
