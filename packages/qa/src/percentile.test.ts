import { describe, expect, it } from "vitest";
import { random, requirePython, runPython, sameNumber } from "../test/support.js";
import { QaError } from "./errors.js";
import { percentile } from "./percentile.js";

describe("percentile", () => {
  it("interpolates linearly between neighbours (hand-checked)", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    expect(percentile([7], 99.9)).toBe(7);
    expect(percentile([0, 10], 25)).toBe(2.5);
    // 99.9 % of 1000 values 0..999: virtual index 999 * 0.9990000000000001 = 998.001.
    const values = Array.from({ length: 1000 }, (_, i) => 999 - i);
    expect(percentile(values, 99.9)).toBe(998 + (999 - 998) * (999 * (99.9 / 100) - 998));
  });

  it("uses numpy 1.24's b - (b - a) * (1 - t) form when t >= 0.5", () => {
    // [1.34, 8.47] at 99.9: t = 0.9990000000000001; numpy 1.24 answers 8.46287, whereas
    // a + (b - a) * t would give 8.462870000000002.
    const t = 99.9 / 100;
    expect(1.34 + (8.47 - 1.34) * t).toBe(8.462870000000002);
    expect(percentile([8.47, 1.34], 99.9)).toBe(8.46287);
  });

  it("gives NaN when a value is NaN and leaves the input alone", () => {
    expect(percentile([1, Number.NaN, 3], 50)).toBeNaN();
    const input = new Float64Array([3.5, 1.25, 2, 9.75, 0.5]);
    const copy = input.slice();
    percentile(input, 99.9);
    expect(input).toEqual(copy);
  });

  it("rejects empty input and q outside [0, 100]", () => {
    expect(() => percentile([], 50)).toThrow(QaError);
    expect(() => percentile([1], 100.5)).toThrow(/range/);
    expect(() => percentile([1], Number.NaN)).toThrow(QaError);
  });

  it("finds the same order statistics by counting, by selection and by sorting", () => {
    const next = random(7);
    for (let round = 0; round < 40; round++) {
      const n = 1 + Math.floor(next() * 5000);
      const spread = [3, 1000, 70000, 5e6][round % 4] as number;
      const ints = Float64Array.from({ length: n }, () => Math.floor(next() * spread) - 100);
      const floats = ints.map((v) => v + next());
      for (const values of [ints, floats]) {
        const sorted = values.slice().sort();
        for (const q of [0, 12.5, 50, 99.9, 100]) {
          const v = (n - 1) * (q / 100);
          const lo = v >= n - 1 ? n - 1 : Math.floor(v);
          const hi = v >= n - 1 ? n - 1 : lo + 1;
          const t = v >= n - 1 ? v + 1 : v - lo;
          const a = sorted[lo] as number;
          const b = sorted[hi] as number;
          const want = t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
          expect(percentile(values, q)).toBe(want);
        }
      }
    }
  });

  it("handles adversarial orders (sorted, reversed, all equal, organ pipe)", () => {
    const n = 100_001;
    const orders = [
      Float64Array.from({ length: n }, (_, i) => i * 0.5),
      Float64Array.from({ length: n }, (_, i) => (n - i) * 0.5),
      new Float64Array(n).fill(2.5),
      Float64Array.from({ length: n }, (_, i) => Math.min(i, n - i) + 0.25),
    ];
    for (const values of orders) {
      const sorted = values.slice().sort();
      const v = (n - 1) * (99.9 / 100);
      const i = Math.floor(v);
      const a = sorted[i] as number;
      const b = sorted[i + 1] as number;
      const t = v - i;
      expect(percentile(values, 99.9)).toBe(t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t);
    }
  });

  it("equals numpy.percentile bit for bit (live numpy oracle)", () => {
    if (!requirePython()) return;
    const next = random(99);
    const arrays: number[][] = [];
    for (let k = 0; k < 300; k++) {
      const n = 1 + Math.floor(next() * (k % 3 === 0 ? 3000 : 60));
      const kind = k % 5;
      arrays.push(
        Array.from({ length: n }, () => {
          const x = next();
          if (kind === 0) return Math.floor(x * 50);
          if (kind === 1) return Math.floor(x * 70000) - 35000;
          if (kind === 2) return (x - 0.3) * 1e3;
          if (kind === 3) return Math.fround(x * 7.3) * 0.37 - 4.1;
          return x < 0.9 ? 0 : x * 1e-3;
        }),
      );
    }
    const qs = [99.9, 0, 50, 37.3, 100, 99.99, 0.1];
    const script = `
import json, sys
import numpy as np
data = json.load(sys.stdin)
print(json.dumps([[float(np.percentile(np.array(a, dtype=np.float64), q)) for q in data["qs"]] for a in data["arrays"]]))
`;
    const want = runPython<number[][]>(script, { arrays, qs });
    arrays.forEach((values, k) => {
      qs.forEach((q, j) => {
        const got = percentile(values, q);
        const expected = want[k]?.[j] as number;
        expect(sameNumber(got, expected), `array ${k} q ${q}: ${got} vs ${expected}`).toBe(true);
      });
    });
  });
});
