import { describe, expect, it } from "vitest";
import { PHASE_SCALE, renderComplex, smoothNoise } from "./noise.js";
import { deriveSeed } from "./random.js";

const SHAPE = [20, 18, 14] as const;

describe("smoothNoise", () => {
  it("is deterministic per seed", () => {
    const a = smoothNoise(SHAPE, 7);
    expect(a).toBeInstanceOf(Int16Array);
    expect(a.length).toBe(20 * 18 * 14);
    expect(smoothNoise(SHAPE, 7)).toEqual(a);
    expect(smoothNoise(SHAPE, 8)).not.toEqual(a);
  });

  it("spans the range plus the noise, smoothly", () => {
    const data = smoothNoise([64, 64, 40], 3, { noise: 0 });
    let min = Infinity;
    let max = -Infinity;
    let step = 0;
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      min = Math.min(min, v);
      max = Math.max(max, v);
      if (i % 64 !== 63) step = Math.max(step, Math.abs((data[i + 1] as number) - v));
    }
    expect(min).toBeGreaterThanOrEqual(300);
    expect(max).toBeLessThanOrEqual(1800);
    expect(max - min).toBeGreaterThan(500);
    // Neighbours differ by at most one grid cell's worth of a linear ramp.
    expect(step).toBeLessThanOrEqual((1500 * 7) / 63 + 1);
    const noisy = smoothNoise([64, 64, 40], 3, { noise: 50 });
    let diff = 0;
    for (let i = 0; i < data.length; i++) {
      diff = Math.max(diff, Math.abs((noisy[i] as number) - (data[i] as number)));
    }
    expect(diff).toBeGreaterThan(20);
    expect(diff).toBeLessThanOrEqual(51);
  });

  it("writes float32 and applies the head mask and gain", () => {
    const float = smoothNoise(SHAPE, 1, { dtype: "float32", noise: 0 });
    expect(float).toBeInstanceOf(Float32Array);
    expect(Number.isInteger(float[5])).toBe(false);
    const half = smoothNoise(SHAPE, 1, { dtype: "float32", noise: 0, gain: 0.5 });
    expect(half[5]).toBeCloseTo((float[5] as number) / 2, 3);
    const head = smoothNoise(SHAPE, 1, { head: true, noise: 0 });
    expect(head[0]).toBe(0); // a corner is outside the head
    const centre = 10 + 20 * (9 + 18 * 7);
    expect(head[centre]).toBeGreaterThan(250);
  });

  it("refuses bad shapes and options", () => {
    expect(() => smoothNoise([0, 4, 4], 1)).toThrow(RangeError);
    expect(() => smoothNoise([4, 4] as unknown as [number, number, number], 1)).toThrow(/shape/);
    expect(() => smoothNoise(SHAPE, 1, { grid: [1, 8, 8] })).toThrow(/grid/);
    expect(() => smoothNoise(SHAPE, 1, { noise: -1 })).toThrow(/noise/);
  });
});

describe("renderComplex", () => {
  const params = (part: "REA" | "IMA" | "MAG" | "PHA") => ({
    signalSeed: deriveSeed(1, "s"),
    phaseSeed: deriveSeed(1, "p"),
    noiseSeeds: [deriveSeed(1, "r"), deriveSeed(1, "i")] as const,
    dtype: "float32" as const,
    grid: [8, 8, 6] as const,
    range: [-1200, 600] as const,
    noise: 30,
    head: false,
    part,
  });

  it("gives REA/IMA/MAG/PHA of the same complex data", () => {
    const [re, im, mag, pha] = (["REA", "IMA", "MAG", "PHA"] as const).map((part) =>
      renderComplex(SHAPE, params(part)),
    ) as Float32Array[];
    let negative = 0;
    let wraps = 0;
    for (let i = 0; i < re!.length; i++) {
      const r = re![i] as number;
      const m = im![i] as number;
      expect(mag![i]).toBeCloseTo(Math.hypot(r, m), 1);
      const expected = Math.min(Math.atan2(m, r) * PHASE_SCALE, 4095);
      expect(Math.abs((pha![i] as number) - expected)).toBeLessThan(0.05);
      expect(pha![i]).toBeGreaterThanOrEqual(-4096);
      expect(pha![i]).toBeLessThanOrEqual(4095);
      if (Math.abs(pha![i] as number) > 3900) wraps++;
      if (r < 0) negative++;
    }
    expect(negative).toBeGreaterThan(0);
    expect(wraps).toBeGreaterThan(0);
  });
});
