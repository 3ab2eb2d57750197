import { describe, expect, it } from "vitest";
import { random, requirePython, runPython } from "../test/support.js";
import { QaError } from "./errors.js";
import { resample1mm, resampleAxis, resampleGrid, resampleIndices } from "./resample.js";

describe("resampleIndices", () => {
  it("gives the spec's observed samples", () => {
    expect(Array.from(resampleIndices(4, 0.5))).toEqual([1, 3]);
    expect(Array.from(resampleIndices(3, 2.0))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(resampleIndices(3, 2.5))).toEqual([0, 0, 0, 1, 1, 2, 2, 2]);
    expect(Array.from(resampleIndices(5, 1))).toEqual([0, 1, 2, 3, 4]);
  });

  it("rounds the size half to even on n / (1 / zoom)", () => {
    // 5 * 0.5 = 2.5 -> 2; 7 * 0.5 = 3.5 -> 4; 1 * 0.5 -> 0 (no voxel).
    expect(resampleAxis(5, 0.5).size).toBe(2);
    expect(resampleAxis(7, 0.5).size).toBe(4);
    expect(resampleIndices(1, 0.5).length).toBe(0);
  });

  it("builds coordinates as numpy.arange fills them", () => {
    const { coordinates } = resampleAxis(10, Math.fround(0.9375));
    const s = 1 / Math.fround(0.9375);
    const begin = coordinates[0] as number;
    const delta = begin + s - begin;
    expect(coordinates[1]).toBe(begin + s);
    for (let i = 2; i < coordinates.length; i++) expect(coordinates[i]).toBe(begin + i * delta);
  });

  it("refuses voxel sizes without a 1 mm grid", () => {
    for (const zoom of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resampleIndices(10, zoom)).toThrow(QaError);
      try {
        resampleIndices(10, zoom);
      } catch (error) {
        expect((error as QaError).code).toBe("E_QA_RESAMPLE");
      }
    }
    expect(() => resampleIndices(-1, 1)).toThrow(/whole number/);
  });

  it("equals scipy map_coordinates(order=0, mode='nearest') on numpy.arange (live oracle)", () => {
    if (!requirePython()) return;
    const next = random(2024);
    const pairs: [number, number][] = [];
    for (let k = 0; k < 400; k++) {
      const n = 1 + Math.floor(next() * (k % 4 === 0 ? 400 : 40));
      const choices = [
        next() * 4 + 0.05,
        Math.ceil(next() * 40) / 8,
        Math.ceil(next() * 300) / 100,
        [0.5, 0.9375, 1, 1.2, 2, 2.5, 3, 0.859375, 0.45, 1.05][k % 10] as number,
      ];
      pairs.push([n, Math.fround(choices[k % 4] as number)]);
    }
    const script = `
import json, sys
import numpy as np
from scipy.ndimage import map_coordinates
out = []
for n, zoom in json.load(sys.stdin):
    zoom = np.float32(zoom)
    s = 1.0 / zoom
    size = int(round(n / s))
    diff = ((-0.5 + n) - (-0.5) - size * s) / 2
    coords = np.arange(-0.5 + diff + s / 2, -0.5 + n - diff - s / 4, s)
    values = map_coordinates(np.arange(n, dtype=np.float64), coords[np.newaxis, :], mode="nearest", order=0)
    out.append([size, [int(v) for v in values]])
print(json.dumps(out))
`;
    const want = runPython<[number, number[]][]>(script, pairs);
    pairs.forEach(([n, zoom], k) => {
      const [size, indices] = want[k] as [number, number[]];
      expect(indices.length, `n=${n} zoom=${zoom}`).toBe(size);
      expect(Array.from(resampleIndices(n, zoom)), `n=${n} zoom=${zoom}`).toEqual(indices);
    });
  });
});

describe("resample1mm", () => {
  it("gathers the source voxel of every 1 mm position, x fastest", () => {
    const shape = [2, 3, 2];
    const data = Float64Array.from({ length: 12 }, (_, i) => i * 10);
    const out = resample1mm(data, shape, [2, 1, 0.5]);
    expect(out.shape).toEqual([4, 3, 1]);
    expect(Array.from(out.indices[0])).toEqual([0, 0, 1, 1]);
    expect(Array.from(out.indices[2])).toEqual([1]);
    // (i, j, k=0) of the output = source (ix[i], j, 1).
    const expected: number[] = [];
    for (let j = 0; j < 3; j++) {
      for (const i of [0, 0, 1, 1]) expected.push((i + 2 * j + 6) * 10);
    }
    expect(Array.from(out.data)).toEqual(expected);
  });

  it("checks the data length and the dimensions", () => {
    expect(() => resample1mm(new Float64Array(5), [2, 3, 1], [1, 1, 1])).toThrow(/needs 6/);
    expect(() => resampleGrid([2, 3], [1, 1])).toThrow(QaError);
  });
});
