// The public face of @radifox/synth. A removed or renamed export fails here; an added one must
// be added to the list (and to the README's API section).
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const EXPORTS = [
  "BENCH_PROTOCOL",
  "MP2RAGE_SETS",
  "generateStudy",
  "protocolImages",
  "smoothNoise",
];

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([...EXPORTS].sort());
  });

  it("freezes the protocol tables", () => {
    expect(Object.isFrozen(api.BENCH_PROTOCOL)).toBe(true);
    expect(Object.isFrozen(api.BENCH_PROTOCOL[0])).toBe(true);
    expect(Object.isFrozen(api.MP2RAGE_SETS.complex)).toBe(true);
  });
});
