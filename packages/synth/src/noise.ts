// Volumes of smooth noise: a coarse grid of random values interpolated trilinearly to the image
// shape (separably, one z-slice at a time, so no full-size float copy ever exists), an optional
// ellipsoidal "head", and fine noise from an inlined xorshift32. A 256x256x176 volume takes
// about 0.1 s.
import { deriveSeed, mulberry32 } from "./random.js";

/** Storage type of the generated voxels. */
export type SynthDtype = "int16" | "float32";

/** A 3-D shape or grid, fastest-varying axis first (x, y, z). */
export type Shape3 = readonly [number, number, number];

/** Options of {@link smoothNoise}. */
export interface SmoothNoiseOptions {
  /** Voxel type: `int16` (default; values rounded and clamped) or `float32`. */
  readonly dtype?: SynthDtype;
  /** Nodes of the coarse random grid per axis (each >= 2); default `[8, 8, 6]`. */
  readonly grid?: Shape3;
  /** Intensities the smooth field spans (inside the head, with `head`); default `[300, 1800]`. */
  readonly range?: readonly [number, number];
  /** Amplitude of the fine noise (triangular, within +-noise); default 60. */
  readonly noise?: number;
  /** Multiply the field by this factor (echo decay); default 1. */
  readonly gain?: number;
  /**
   * Confine the field to an ellipsoid filling ~86 % of each axis, with a soft edge; outside
   * only the fine noise remains (clamped at 0). Default false: the reference benchmark's
   * volumes are noise throughout (~16.5 MB per 256x256x176 int16 .nii.gz; ~12 MB with a head).
   */
  readonly head?: boolean;
}

export const DEFAULT_GRID: Shape3 = [8, 8, 6];
export const DEFAULT_RANGE: readonly [number, number] = [300, 1800];
export const DEFAULT_NOISE = 60;

/** Voxel count of a shape, after checking it is three positive integers. */
export function checkShape(shape: readonly number[]): number {
  if (shape.length !== 3 || shape.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new RangeError(`shape must be three positive integers, got [${shape.join(", ")}]`);
  }
  const count = (shape[0] as number) * (shape[1] as number) * (shape[2] as number);
  if (count > 2 ** 30) throw new RangeError(`shape ${shape.join("x")} is too large`);
  return count;
}

function checkGrid(grid: readonly number[]): void {
  if (grid.length !== 3 || grid.some((n) => !Number.isSafeInteger(n) || n < 2 || n > 256)) {
    throw new RangeError(`grid must be three integers from 2 to 256, got [${grid.join(", ")}]`);
  }
}

/** For each output index along an axis of `n` voxels: the lower grid node and its weight. */
function axisWeights(n: number, g: number): { index: Int32Array; weight: Float32Array } {
  const index = new Int32Array(n);
  const weight = new Float32Array(n);
  const scale = n > 1 ? (g - 1) / (n - 1) : 0;
  for (let x = 0; x < n; x++) {
    const u = x * scale;
    const i0 = Math.min(Math.floor(u), g - 2);
    index[x] = i0;
    weight[x] = u - i0;
  }
  return { index, weight };
}

/**
 * A random field in [0, 1) on a coarse grid, interpolated trilinearly to `shape`. The x and y
 * passes are done once (`nx * ny * gz` values); each z-slice is then a blend of two of these
 * planes, which the voxel loops do inline.
 */
export class SmoothField {
  /** The x/y-interpolated planes, `nx * ny` values each, one per grid node along z. */
  readonly planes: Float32Array;
  readonly #plane: number;
  readonly #zIndex: Int32Array;
  readonly #zWeight: Float32Array;

  constructor(shape: Shape3, grid: Shape3, seed: number) {
    checkGrid(grid);
    const [nx, ny, nz] = shape;
    const [gx, gy, gz] = grid;
    const random = mulberry32(seed);
    const coarse = new Float32Array(gx * gy * gz);
    for (let i = 0; i < coarse.length; i++) coarse[i] = random();
    const wx = axisWeights(nx, gx);
    const wy = axisWeights(ny, gy);
    const wz = axisWeights(nz, gz);
    // x pass: (nx, gy, gz).
    const ax = new Float32Array(nx * gy * gz);
    for (let row = 0; row < gy * gz; row++) {
      const src = row * gx;
      const dst = row * nx;
      for (let x = 0; x < nx; x++) {
        const i0 = src + (wx.index[x] as number);
        const w = wx.weight[x] as number;
        ax[dst + x] = (coarse[i0] as number) * (1 - w) + (coarse[i0 + 1] as number) * w;
      }
    }
    // y pass: (nx, ny, gz).
    const planes = new Float32Array(nx * ny * gz);
    for (let k = 0; k < gz; k++) {
      for (let y = 0; y < ny; y++) {
        const r0 = (k * gy + (wy.index[y] as number)) * nx;
        const r1 = r0 + nx;
        const w = wy.weight[y] as number;
        const dst = (k * ny + y) * nx;
        for (let x = 0; x < nx; x++) {
          planes[dst + x] = (ax[r0 + x] as number) * (1 - w) + (ax[r1 + x] as number) * w;
        }
      }
    }
    this.planes = planes;
    this.#plane = nx * ny;
    this.#zIndex = wz.index;
    this.#zWeight = wz.weight;
  }

  /** Slice `z` is `planes[p0 + i] * (1 - w) + planes[p0 + plane + i] * w`. */
  lower(z: number): number {
    return (this.#zIndex[z] as number) * this.#plane;
  }

  weight(z: number): number {
    return this.#zWeight[z] as number;
  }

  /** Writes z-slice `z` (`nx * ny` values, x fastest) into `out`. */
  slice(z: number, out: Float32Array): void {
    const n = this.#plane;
    const p0 = this.lower(z);
    const p1 = p0 + n;
    const w = this.weight(z);
    const v = 1 - w;
    const planes = this.planes;
    for (let i = 0; i < n; i++) {
      out[i] = (planes[p0 + i] as number) * v + (planes[p1 + i] as number) * w;
    }
  }
}

/**
 * A soft ellipsoid filling ~86 % of each axis: `mask = clamp((1 - r^2) * 8, 0, 1)` with
 * `r^2 = mx[x] + my[y] + mz[z]`, so 1 inside, 0 outside and a ramp ~6 % of the radius wide.
 */
export class HeadMask {
  readonly mx: Float32Array;
  readonly my: Float32Array;
  readonly mz: Float32Array;

  constructor(shape: Shape3) {
    const square = (n: number) => {
      const out = new Float32Array(n);
      const centre = (n - 1) / 2;
      const radius = Math.max(0.43 * n, 0.5);
      for (let i = 0; i < n; i++) out[i] = ((i - centre) / radius) ** 2;
      return out;
    };
    this.mx = square(shape[0]);
    this.my = square(shape[1]);
    this.mz = square(shape[2]);
  }

  /** Writes z-slice `z` of the mask into `out`. */
  slice(z: number, out: Float32Array): void {
    const { mx, my } = this;
    const nx = mx.length;
    const mz = this.mz[z] as number;
    for (let y = 0; y < my.length; y++) {
      const base = 1 - (my[y] as number) - mz;
      const row = y * nx;
      for (let x = 0; x < nx; x++) {
        const m = (base - (mx[x] as number)) * 8;
        out[row + x] = m <= 0 ? 0 : Math.min(m, 1);
      }
    }
  }
}

/** Fine noise: triangular in (-1, 1) from the two halves of one xorshift32 output. */
export class FineNoise {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** Fills `out` with noise of amplitude `amplitude`. */
  fill(out: Float32Array, amplitude: number): void {
    let s = this.#state;
    const scale = amplitude / 65536;
    for (let i = 0; i < out.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      out[i] = ((s & 0xffff) + ((s >>> 16) & 0xffff) - 65535) * scale;
    }
    this.#state = s;
  }
}

/** An output array of `count` voxels and a function storing one slice of values into it. */
export function outputArray(
  dtype: SynthDtype,
  count: number,
): {
  data: Int16Array | Float32Array;
  store: (offset: number, values: Float32Array) => void;
} {
  if (dtype === "float32") {
    const data = new Float32Array(count);
    return { data, store: (offset, values) => data.set(values, offset) };
  }
  if (dtype !== "int16") throw new RangeError(`dtype must be "int16" or "float32", got ${dtype}`);
  const data = new Int16Array(count);
  return {
    data,
    store: (offset, values) => {
      for (let i = 0; i < values.length; i++) {
        // Round half up; the shift keeps it integer arithmetic for values within int16.
        const v = (values[i] as number) + 32768.5;
        data[offset + i] = v <= 0 ? -32768 : v >= 65535 ? 32767 : (v | 0) - 32768;
      }
    },
  };
}

/** What {@link renderMagnitude} needs; seeds are explicit so images can share a field. */
export interface MagnitudeParams {
  readonly fieldSeed: number;
  readonly noiseSeed: number;
  readonly dtype: SynthDtype;
  readonly grid: Shape3;
  readonly range: readonly [number, number];
  readonly noise: number;
  readonly gain: number;
  readonly head: boolean;
}

/** A magnitude image: `(lo + span * field) * gain * head + noise`, clamped at 0. */
export function renderMagnitude(shape: Shape3, params: MagnitudeParams): Int16Array | Float32Array {
  const count = checkShape(shape);
  const [nx, ny, nz] = shape;
  const plane = nx * ny;
  const field = new SmoothField(shape, params.grid, params.fieldSeed);
  const planes = field.planes;
  const mask = params.head ? new HeadMask(shape) : undefined;
  const { data, store } = outputArray(params.dtype, count);
  const out = new Float32Array(plane);
  const lo = params.range[0] * params.gain;
  const span = (params.range[1] - params.range[0]) * params.gain;
  const noiseScale = params.noise / 65536;
  let s = params.noiseSeed >>> 0 || 0x9e3779b9;
  for (let z = 0; z < nz; z++) {
    const p0 = field.lower(z);
    const p1 = p0 + plane;
    const w1 = field.weight(z);
    const w0 = 1 - w1;
    const mz = mask ? 1 - (mask.mz[z] as number) : 0;
    for (let y = 0; y < ny; y++) {
      const row = y * nx;
      const base = mask ? mz - (mask.my[y] as number) : 0;
      for (let x = 0; x < nx; x++) {
        const i = row + x;
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const noise = ((s & 0xffff) + ((s >>> 16) & 0xffff) - 65535) * noiseScale;
        let v = lo + span * ((planes[p0 + i] as number) * w0 + (planes[p1 + i] as number) * w1);
        if (mask) {
          const m = (base - (mask.mx[x] as number)) * 8;
          v *= m <= 0 ? 0 : Math.min(m, 1);
        }
        v += noise;
        out[i] = Math.max(v, 0);
      }
    }
    store(z * plane, out);
  }
  return data;
}

/** The part of complex data an image holds. */
export type ComplexPart = "REA" | "IMA" | "MAG" | "PHA";

/** Phase images store -pi..pi as -4096..4095, as scanners do. */
export const PHASE_SCALE = 4096 / Math.PI;

/** What {@link renderComplex} needs. */
export interface ComplexParams {
  /** Seed of the (real, signed) signal field. */
  readonly signalSeed: number;
  /** Seed of the receive-phase field, shared by every image of one acquisition. */
  readonly phaseSeed: number;
  /** Seeds of the noise of the real and imaginary channels. */
  readonly noiseSeeds: readonly [number, number];
  readonly dtype: SynthDtype;
  readonly grid: Shape3;
  /** Range of the signed signal inside the head (may start below 0, as INV1 of MP2RAGE). */
  readonly range: readonly [number, number];
  readonly noise: number;
  readonly head: boolean;
  readonly part: ComplexPart;
}

// cos and sin of one turn in 4096 steps; linear interpolation is accurate to 3e-7.
const TABLE_SIZE = 4096;
const COS = new Float64Array(TABLE_SIZE + 1);
const SIN = new Float64Array(TABLE_SIZE + 1);
for (let i = 0; i <= TABLE_SIZE; i++) {
  COS[i] = Math.cos((2 * Math.PI * i) / TABLE_SIZE);
  SIN[i] = Math.sin((2 * Math.PI * i) / TABLE_SIZE);
}

/** Turns of the receive phase across the volume. */
const PHASE_TURNS = 3;

/**
 * One part of complex data `S = s * exp(i * phi) + noise`: `s` a signed smooth field, `phi` a
 * smooth receive phase that wraps (three turns across the volume), the noise independent in
 * the real and imaginary channels. REA/IMA/MAG/PHA of the same parameters are the same data:
 * `MAG = |REA + i IMA|`, `PHA = atan2(IMA, REA)` scaled to -4096..4095.
 */
export function renderComplex(shape: Shape3, params: ComplexParams): Int16Array | Float32Array {
  const count = checkShape(shape);
  const [nx, ny, nz] = shape;
  const plane = nx * ny;
  const signal = new SmoothField(shape, params.grid, params.signalSeed);
  const phase = new SmoothField(shape, params.grid, params.phaseSeed);
  const mask = params.head ? new HeadMask(shape) : undefined;
  const noiseRe = new FineNoise(params.noiseSeeds[0]);
  const noiseIm = new FineNoise(params.noiseSeeds[1]);
  const { data, store } = outputArray(params.dtype, count);
  const s = new Float32Array(plane);
  const p = new Float32Array(plane);
  const m = new Float32Array(plane).fill(1);
  const nr = new Float32Array(plane);
  const ni = new Float32Array(plane);
  const [lo, hi] = params.range;
  const span = hi - lo;
  const part = params.part;
  for (let z = 0; z < nz; z++) {
    signal.slice(z, s);
    phase.slice(z, p);
    if (mask) mask.slice(z, m);
    noiseRe.fill(nr, params.noise);
    noiseIm.fill(ni, params.noise);
    for (let i = 0; i < plane; i++) {
      const amplitude = (lo + span * (s[i] as number)) * (m[i] as number);
      // phi = PHASE_TURNS * 2pi * (p - 1/2); in turns modulo 1 that is frac(3p + 1/2).
      const turns = PHASE_TURNS * (p[i] as number) + 0.5;
      const t = (turns - Math.floor(turns)) * TABLE_SIZE;
      const k = t | 0;
      const w = t - k;
      const cos = (COS[k] as number) + ((COS[k + 1] as number) - (COS[k] as number)) * w;
      const sin = (SIN[k] as number) + ((SIN[k + 1] as number) - (SIN[k] as number)) * w;
      const re = amplitude * cos + (nr[i] as number);
      const im = amplitude * sin + (ni[i] as number);
      s[i] =
        part === "REA"
          ? re
          : part === "IMA"
            ? im
            : part === "MAG"
              ? Math.sqrt(re * re + im * im)
              : Math.min(Math.atan2(im, re) * PHASE_SCALE, 4095);
    }
    store(z * plane, s);
  }
  return data;
}

/**
 * A volume of smooth noise: a coarse random grid (`grid`, default 8x8x6) interpolated
 * trilinearly to `shape` (within a soft ellipsoidal head with `head`), plus fine noise. The same
 * `shape`, `seed` and options give the same values. Returns an `Int16Array` (default) or
 * a `Float32Array` of `shape[0] * shape[1] * shape[2]` values, x fastest.
 */
export function smoothNoise(
  shape: Shape3,
  seed: number,
  options: SmoothNoiseOptions = {},
): Int16Array | Float32Array {
  const range = options.range ?? DEFAULT_RANGE;
  if (range.length !== 2 || !range.every(Number.isFinite)) {
    throw new RangeError("range must be two finite numbers");
  }
  const noise = options.noise ?? DEFAULT_NOISE;
  const gain = options.gain ?? 1;
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new RangeError("noise must be >= 0");
  if (!Number.isFinite(gain)) throw new RangeError("gain must be a finite number");
  return renderMagnitude(shape, {
    fieldSeed: deriveSeed(seed, "field"),
    noiseSeed: deriveSeed(seed, "noise"),
    dtype: options.dtype ?? "int16",
    grid: options.grid ?? DEFAULT_GRID,
    range,
    noise,
    gain,
    head: options.head ?? false,
  });
}
