import { describe, expect, it } from "vitest";
import { QaError } from "./errors.js";
import { gridExtremes } from "./grid-scan.js";
import { gatherMontage, montage, montageLayout } from "./montage.js";
import { slicePlan } from "./orientation-slices.js";

describe("montage", () => {
  // x-fastest volume, value = 100 * x + 10 * y + z, shape 3 x 2 x 4, axes (L, P, S).
  const shape = [3, 2, 4];
  const volume = Float64Array.from({ length: 24 }, (_, n) => {
    const x = n % 3;
    const y = Math.floor(n / 3) % 2;
    const z = Math.floor(n / 6);
    return 100 * x + 10 * y + z;
  });

  it("lays slices out as 3 rows of M x M tiles, padded with the minimum", () => {
    const m = montage(volume, shape, ["L", "P", "S"], [0.5]);
    expect([m.tileSize, m.width, m.height, m.bgValue]).toEqual([4, 4, 12, 0]);
    const at = (row: number, col: number) => m.values[row * m.width + col];
    // Axial, z = round(0.5 * 4) = 2: rows = y (toward P), columns = x (toward L); the 2 x 3
    // slice is centred: row pad 1, column pad 0 (floor(1 / 2)).
    expect(Array.from(m.values.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect([at(1, 0), at(1, 1), at(1, 2), at(1, 3)]).toEqual([2, 102, 202, 0]);
    expect([at(2, 0), at(2, 1), at(2, 2)]).toEqual([12, 112, 212]);
    // Sagittal (second row block), x = round(0.5 * 3) = 2 (banker's rounding of 1.5): rows =
    // z toward I (reversed), columns = y toward P.
    expect([at(4, 1), at(4, 2)]).toEqual([203, 213]);
    expect([at(7, 1), at(7, 2)]).toEqual([200, 210]);
  });

  it("requires the same number of slices in every plane", () => {
    const plans = slicePlan([4, 4, 4], ["R", "A", "S"], { axial: [0.5], sagittal: [0.5, 0.6] });
    expect(() => montageLayout([4, 4, 4], plans)).toThrow(QaError);
  });

  it("finds extremes on a sub-grid and notices NaN", () => {
    const data = Float64Array.from([5, 1, 9, 3]);
    expect(gridExtremes(data, [4, 1, 1], [Int32Array.from([0, 2]), [0], [0]])).toEqual({
      min: 5,
      max: 9,
      nan: false,
    });
    data[2] = Number.NaN;
    expect(gridExtremes(data, [4, 1, 1], [Int32Array.from([0, 1, 2, 3]), [0], [0]]).nan).toBe(true);
  });
});

describe("gatherMontage with a histogram", () => {
  it("counts every value it writes, padding included", () => {
    const shape = [5, 3, 4];
    const data = Int16Array.from({ length: 60 }, (_, i) => ((i * 37) % 23) - 11);
    const indices = [
      Int32Array.from([0, 1, 1, 2, 3, 4, 4]),
      Int32Array.from([0, 1, 2]),
      Int32Array.from([0, 2, 3]),
    ];
    const plans = slicePlan([7, 3, 3], ["R", "P", "I"], [0.2, 0.5]);
    const counts = new Uint32Array(65536);
    const out = gatherMontage(data, shape, indices, plans, -11, new Int16Array(7 * 2 * 7 * 3), {
      counts,
      offset: -32768,
    });
    const plain = gatherMontage(data, shape, indices, plans, -11);
    expect(Array.from(out)).toEqual(Array.from(plain));
    const want = new Uint32Array(65536);
    for (const v of out) want[v + 32768] = (want[v + 32768] as number) + 1;
    expect(counts).toEqual(want);
  });
});
