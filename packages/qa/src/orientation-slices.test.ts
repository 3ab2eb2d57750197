import { describe, expect, it } from "vitest";
import { QaError } from "./errors.js";
import { checkOrientation, DEFAULT_FRACTIONS, slicePlan } from "./orientation-slices.js";

const byPlane = (shape: number[], codes: string[], fractions?: number[]) =>
  Object.fromEntries(slicePlan(shape, codes, fractions).map((p) => [p.plane, p]));

describe("slicePlan", () => {
  it("gives the spec's example slice numbers (round half to even)", () => {
    const plan = byPlane([30, 30, 40], ["R", "A", "S"]);
    expect(plan.axial?.sliceNums).toEqual([12, 14, 16, 18, 20, 22, 24, 26, 28]);
    expect(plan.sagittal?.sliceNums).toEqual([9, 10, 12, 14, 15, 16, 18, 20, 21]);
  });

  it("orders planes axial, sagittal, coronal and counts from I, R (patient right = L axis 0), A", () => {
    const plans = slicePlan([10, 12, 14], ["L", "P", "S"]);
    expect(plans.map((p) => p.plane)).toEqual(["axial", "sagittal", "coronal"]);
    const [axial, sagittal, coronal] = plans;
    // LPS: every slice axis points toward S, L, P: the index is the slice number.
    expect(axial?.arrayIndex).toEqual(axial?.sliceNums);
    expect(sagittal?.arrayIndex).toEqual(sagittal?.sliceNums);
    expect(coronal?.arrayIndex).toEqual(coronal?.sliceNums);
    // RAS: the sagittal and coronal axes point away: n - num - 1.
    const ras = byPlane([10, 12, 14], ["R", "A", "S"]);
    expect(ras.sagittal?.arrayIndex).toEqual(ras.sagittal?.sliceNums.map((s) => 10 - s - 1));
    expect(ras.coronal?.arrayIndex).toEqual(ras.coronal?.sliceNums.map((s) => 12 - s - 1));
  });

  it("turns slices for display: radiological axial, A->P columns sagittal", () => {
    const ras = byPlane([10, 12, 14], ["R", "A", "S"]);
    // Axial: columns run patient right -> left, i.e. along x reversed for an R axis.
    expect(ras.axial).toMatchObject({
      colAxis: 0,
      colReversed: true,
      rowAxis: 1,
      rowReversed: true,
    });
    expect(ras.axial?.tileShape).toEqual([12, 10]);
    // Sagittal: rows superior -> inferior, columns anterior -> posterior.
    expect(ras.sagittal).toMatchObject({
      colAxis: 1,
      colReversed: true,
      rowAxis: 2,
      rowReversed: true,
    });
    // Permuted axes (A, S, L): the in-plane axes are transposed.
    const asl = byPlane([12, 10, 10], ["A", "S", "L"]);
    expect(asl.axial).toMatchObject({ sliceAxis: 1, colAxis: 2, colReversed: false, rowAxis: 0 });
    expect(asl.axial?.tileShape).toEqual([12, 10]);
  });

  it("accepts per-plane fractions and rejects bad ones", () => {
    const plans = slicePlan([10, 10, 10], ["R", "A", "S"], undefined);
    expect(plans[0]?.sliceNums.length).toBe(DEFAULT_FRACTIONS.length);
    const custom = slicePlan([10, 10, 10], ["R", "A", "S"], { axial: [0.5], sagittal: [0.1] });
    expect(custom.map((p) => p.sliceNums.length)).toEqual([1, 1, 9]);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as QaError).code;
      }
      return undefined;
    };
    expect(code(() => slicePlan([10, 10, 10], ["R", "A", "S"], [1.0]))).toBe("E_QA_FRACTION");
    expect(code(() => slicePlan([10, 10, 10], ["L", "P", "S"], [-0.1]))).toBe("E_QA_FRACTION");
    expect(code(() => slicePlan([10, 10, 10], ["R", "A", "S"], [Number.NaN]))).toBe(
      "E_QA_FRACTION",
    );
    expect(code(() => slicePlan([10, 10, 10], ["R", "A", "S"], []))).toBe("E_QA_FRACTION");
    // -0.04 * 10 rounds to -0: slice 0, not -0.
    expect(Object.is(slicePlan([10, 10, 10], ["L", "P", "S"], [-0.04])[0]?.sliceNums[0], 0)).toBe(
      true,
    );
  });

  it("refuses orientations without one axis per direction", () => {
    expect(() => checkOrientation(["R", "R", "S"])).toThrow(QaError);
    expect(() => checkOrientation(["R", null, "S"])).toThrow(/orientation/);
    expect(() => checkOrientation(["R", "A"])).toThrow(QaError);
    expect(checkOrientation(["S", "L", "A"])).toEqual(["S", "L", "A"]);
  });
});
