import { describe, expect, it } from "vitest";
import { QaError } from "./errors.js";
import { LUTS, lutTable } from "./luts.js";
import { blendOverlay } from "./overlay.js";

const grey = Uint8Array.from([0, 100, 200, 255, 37]);
const labels = Uint8Array.from([0, 1, 0, 1, 2]);

describe("blendOverlay", () => {
  it("labelled (default): unlabelled pixels keep their grey value", () => {
    const out = blendOverlay(grey, labels);
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(out.subarray(6, 9))).toEqual([200, 200, 200]);
    // Label 1 of the binary table is red: uint8(255 * 0.4 + 100 * 0.6) = uint8(162.0...) = 162.
    expect(Array.from(out.subarray(3, 6))).toEqual([
      Math.trunc(255 * 0.4 + 100 * (1 - 0.4)),
      Math.trunc(100 * (1 - 0.4)),
      Math.trunc(100 * (1 - 0.4)),
    ]);
    // Label 2 is not in the binary table: black, blended (still a labelled pixel).
    expect(Array.from(out.subarray(12, 15))).toEqual([22, 22, 22]);
  });

  it("all: the original's blend dims every pixel", () => {
    const out = blendOverlay(grey, labels, "binary", 0.4, "all");
    expect(Array.from(out.subarray(6, 9))).toEqual([120, 120, 120]);
    expect(Array.from(out.subarray(9, 12))).toEqual([255, 153, 153]);
    const labelled = blendOverlay(grey, labels, "binary", 0.4, "labelled");
    labels.forEach((label, p) => {
      if (label > 0)
        expect(labelled.subarray(p * 3, p * 3 + 3)).toEqual(out.subarray(p * 3, p * 3 + 3));
    });
  });

  it("takes numpy's cast for out-of-range blends (alpha > 1)", () => {
    // 255 * 2 + 100 * -1 = 410 -> 410 & 255 = 154; 0 * 2 + 100 * -1 = -100 -> 156.
    const out = blendOverlay(Uint8Array.from([100]), Uint8Array.from([1]), "binary", 2, "all");
    expect(Array.from(out)).toEqual([154, 156, 156]);
  });

  it("accepts user tables (a map or rows) and checks them", () => {
    const out = blendOverlay(Uint8Array.from([0]), Uint8Array.from([7]), { 7: [10, 20, 250] }, 1);
    expect(Array.from(out)).toEqual([10, 20, 250]);
    const rows = Array.from({ length: 8 }, (_, i) => [i, i, i]);
    expect(Array.from(blendOverlay(Uint8Array.from([0]), Uint8Array.from([7]), rows, 1))).toEqual([
      7, 7, 7,
    ]);
    expect(() => lutTable({ 256: [1, 2, 3] })).toThrow(QaError);
    expect(() => lutTable({ 3: [1, 2] as unknown as [number, number, number] })).toThrow(
      /3 numbers/,
    );
    expect(() => lutTable("jet" as "binary")).toThrow(/unknown look-up table/);
    expect(() => lutTable("toString" as "binary")).toThrow(/unknown look-up table/);
    expect(() => blendOverlay(grey, labels.subarray(1))).toThrow(QaError);
    expect(() => blendOverlay(grey, labels, "binary", Number.NaN)).toThrow(/alpha/);
  });

  it("has the original's tables", () => {
    expect(Object.keys(LUTS.brain_color)).toHaveLength(134);
    expect(Object.keys(LUTS.colorblind)).toHaveLength(14);
    expect(LUTS.brain_color[207]).toEqual([255, 125, 76]);
    const table = lutTable("colorblind");
    expect(Array.from(table.subarray(14 * 3, 15 * 3))).toEqual([143, 85, 117]);
    expect(Array.from(table.subarray(0, 3))).toEqual([0, 0, 0]);
  });
});
