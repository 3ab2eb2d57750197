import { describe, expect, it } from "vitest";
import { random } from "../test/support.js";
import { castIntegerMontage, scaleIntegerMontage, scaleToUint8, tableFits } from "./intensity.js";
import { castToUint8 } from "./numpy.js";
import { applyScaling, type Scaling } from "./scaling.js";

describe("scaleToUint8", () => {
  it("subtracts the minimum, divides by the 99.9th percentile, clips and truncates", () => {
    const values = Float64Array.from({ length: 1001 }, (_, i) => i + 10);
    const { pixels, min, percentile } = scaleToUint8(values);
    expect(min).toBe(10);
    // virtual index 1000 * 0.9990000000000001 = 999.0000000000001 -> 999 + tiny.
    expect(percentile).toBeCloseTo(999, 9);
    expect(pixels[0]).toBe(0);
    expect(pixels[500]).toBe(Math.trunc((500 / percentile) * 255));
    expect(pixels[1000]).toBe(255);
    expect(values[0]).toBe(10); // not in place by default
  });

  it("a constant image: 0 / 0 = NaN, cast to 0", () => {
    const { pixels, percentile } = scaleToUint8(new Float64Array(20).fill(7));
    expect(percentile).toBe(0);
    expect(Array.from(pixels)).toEqual(new Array(20).fill(0));
  });

  it("a NaN anywhere makes every pixel 0 (numpy's min is NaN)", () => {
    const { pixels, min } = scaleToUint8([1, 2, Number.NaN, 4]);
    expect(min).toBeNaN();
    expect(Array.from(pixels)).toEqual([0, 0, 0, 0]);
  });

  it("in place: the input holds the values after subtraction", () => {
    const values = Float64Array.from([5, 6, 7]);
    scaleToUint8(values, { inPlace: true });
    expect(Array.from(values)).toEqual([0, 1, 2]);
  });
});

describe("per-value tables for integer data", () => {
  it("give what the float64 path gives, for any scaling", () => {
    const next = random(5);
    const scalings: Scaling[] = [
      undefined,
      [1, 0],
      [0.5, 10],
      [-1.25, 3.7],
      [0.3, 0],
      [1, -7],
      [-2, 0],
    ];
    for (let round = 0; round < 60; round++) {
      const n = 1 + Math.floor(next() * 3000);
      const spread = [2, 50, 4000, 65536][round % 4] as number;
      const raw = Int32Array.from({ length: n }, () => Math.floor(next() * spread) - 200);
      let rawMin = raw[0] as number;
      let rawMax = rawMin;
      for (const v of raw) {
        rawMin = Math.min(rawMin, v);
        rawMax = Math.max(rawMax, v);
      }
      const scaling = scalings[round % scalings.length];
      const floats = Float64Array.from(raw);
      applyScaling(floats, scaling);
      const want = scaleToUint8(floats);
      const got = scaleIntegerMontage(raw, rawMin - (round % 3), rawMax + (round % 2), scaling);
      expect(got.min).toBe(want.min);
      expect(got.percentile).toBe(want.percentile);
      expect(Buffer.from(got.pixels).equals(Buffer.from(want.pixels))).toBe(true);
      const labels = castIntegerMontage(raw, rawMin, rawMax, scaling);
      expect(Array.from(labels)).toEqual(Array.from(floats, castToUint8));
    }
  });

  it("fit ranges that are small against the pixel count", () => {
    expect(tableFits(-32768, 32767, 10)).toBe(true);
    expect(tableFits(0, 2e9, 1e7)).toBe(false);
    expect(tableFits(0, 1e6, 100)).toBe(false);
  });
});
