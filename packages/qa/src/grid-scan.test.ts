import { describe, expect, it } from "vitest";
import { random } from "../test/support.js";
import { gridExtremes, gridMinimum, type NumericArray } from "./grid-scan.js";

const TYPES = [
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
];

describe("gridMinimum", () => {
  it("equals a plain scan for every type, alignment, length and sub-grid", () => {
    const next = random(11);
    for (let round = 0; round < 400; round++) {
      const Type = TYPES[round % TYPES.length] as (typeof TYPES)[number];
      const shape = [
        1 + Math.floor(next() * 40),
        1 + Math.floor(next() * 9),
        1 + Math.floor(next() * 7),
      ];
      const count = shape[0]! * shape[1]! * shape[2]!;
      const offset = Math.floor(next() * 4); // misaligned views of a larger buffer
      const backing = new Type(count + offset + 3);
      for (let i = 0; i < backing.length; i++) backing[i] = Math.floor((next() - 0.3) * 70000);
      const data = backing.subarray(offset, offset + count) as NumericArray;
      const indices = shape.map((n) => {
        const kind = Math.floor(next() * 3);
        if (kind === 0) return Int32Array.from({ length: n }, (_, i) => i); // whole axis
        const length = 1 + Math.floor(next() * n * 2);
        return Int32Array.from({ length }, () => Math.floor(next() * n)); // sub-grid, repeats
      });
      // Every grid voxel, visited the slow way.
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      const [ix, iy, iz] = indices as [Int32Array, Int32Array, Int32Array];
      for (const k of iz)
        for (const j of iy)
          for (const i of ix) {
            const v = data[k * shape[0]! * shape[1]! + j * shape[0]! + i] as number;
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
      expect(gridMinimum(data, shape, indices), `${Type.name} ${shape}`).toBe(min);
      expect(gridExtremes(data, shape, indices), `${Type.name} ${shape}`).toEqual({
        min,
        max,
        nan: false,
      });
    }
  });

  it("stops at the type's lowest value and reports NaN", () => {
    const labels = new Uint8Array(100_000).fill(3);
    labels[5] = 0;
    const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
    expect(gridMinimum(labels, [100, 100, 10], [identity(100), identity(100), identity(10)])).toBe(
      0,
    );
    const floats = new Float32Array(64).fill(2);
    floats[40] = Number.NaN;
    const shape = [4, 4, 4];
    const all = [identity(4), identity(4), identity(4)];
    expect(gridMinimum(floats, shape, all)).toBeNaN();
    expect(gridExtremes(floats, shape, all).nan).toBe(true);
    // The NaN (element 40, z = 2) is not on a grid of the plane z = 0 only.
    expect(gridMinimum(floats, shape, [identity(4), identity(4), Int32Array.from([0])])).toBe(2);
  });
});
