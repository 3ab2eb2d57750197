import { describe, expect, it } from "vitest";
import { requirePython, runPython } from "../test/support.js";
import { castToUint8, roundHalfEven } from "./numpy.js";

const SPECIAL = [
  0,
  -0,
  0.4,
  0.5,
  1.5,
  2.5,
  -0.5,
  -1.5,
  -2.5,
  254.99,
  255,
  255.5,
  256,
  300.7,
  -1,
  -3.9,
  2147483647.9,
  2147483648,
  -2147483648.5,
  -2147483649,
  4294967301,
  1e20,
  -1e20,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  4503599627370497,
];

describe("numpy scalar semantics", () => {
  it("rounds half to even", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([
      0, 2, 2, -0, -2, -2, 2, 3,
    ]);
  });

  it("casts float64 to uint8 as numpy does on x86-64", () => {
    expect(castToUint8(300.7)).toBe(44);
    expect(castToUint8(-1.5)).toBe(255);
    expect(castToUint8(Number.NaN)).toBe(0);
    expect(castToUint8(2 ** 31)).toBe(0);
  });

  it("matches live numpy / Python on special values", () => {
    if (!requirePython()) return;
    const script = `
import json, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
values = [float(v) for v in json.load(sys.stdin)]
casts = np.array(values, dtype=np.float64).astype(np.ubyte).tolist()
rounds = [None if v != v or v in (float("inf"), float("-inf")) else float(np.around(v)) for v in values]
print(json.dumps({"casts": casts, "rounds": rounds}))
`;
    const input = SPECIAL.map((v) =>
      Number.isNaN(v) ? "nan" : Number.isFinite(v) ? v : v > 0 ? "inf" : "-inf",
    );
    const want = runPython<{ casts: number[]; rounds: (number | null)[] }>(script, input);
    expect(SPECIAL.map(castToUint8)).toEqual(want.casts);
    SPECIAL.forEach((v, i) => {
      const r = want.rounds[i];
      if (r !== null && r !== undefined) expect(roundHalfEven(v) === r, `round ${v}`).toBe(true);
    });
  });
});
