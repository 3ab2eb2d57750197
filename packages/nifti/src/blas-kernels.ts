/**
 * Scalar LAPACK helpers and OpenBLAS 0.3.21 kernels, operation for operation, shared by the
 * re-implementations of numpy's `eigh` (lapack-eigh.ts) and `svd` (lapack-svd.ts).
 *
 * The reference LAPACK routines are plain float64 arithmetic. The OpenBLAS x86-64 kernels
 * (Cooperlake/SkylakeX on this platform) use fused multiply-adds in fixed orders and compute
 * `dnrm2` in x87 80-bit arithmetic; each kernel below was checked bit for bit against the library
 * with ctypes for the vector lengths a 3x3 or 4x4 problem uses.
 */
import * as ext from "./extended.js";

/** dlamch('E'): the unit roundoff. */
export const EPS = 2 ** -53;
/** dlamch('S'): the smallest normal number, safe to invert. */
export const SAFE_MIN = 2 ** -1022;

/** Fortran SIGN(a, b): |a| with the sign bit of b (so -0 counts as negative). */
export function withSignOf(a: number, b: number): number {
  return b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a);
}

/** dlapy2: sqrt(x² + y²) without needless overflow. */
export function hypotenuse(x: number, y: number): number {
  const w = Math.max(Math.abs(x), Math.abs(y));
  const z = Math.min(Math.abs(x), Math.abs(y));
  if (z === 0 || w > Number.MAX_VALUE) return w;
  return w * Math.sqrt(1 + (z / w) * (z / w));
}

/**
 * dlartg (the LAPACK 3.10 version): c, s, r with [c s; -s c]·[f; g] = [r; 0], c >= 0 and r
 * carrying the sign of f.
 */
export function givens(f: number, g: number): { c: number; s: number; r: number } {
  const rootMin = Math.sqrt(SAFE_MIN);
  const rootMax = Math.sqrt(1 / SAFE_MIN / 2);
  const f1 = Math.abs(f);
  const g1 = Math.abs(g);
  if (g === 0) return { c: 1, s: 0, r: f };
  if (f === 0) return { c: 0, s: withSignOf(1, g), r: g1 };
  if (f1 > rootMin && f1 < rootMax && g1 > rootMin && g1 < rootMax) {
    const d = Math.sqrt(f * f + g * g);
    const r = withSignOf(d, f);
    return { c: f1 / d, s: g / r, r };
  }
  // Scale both into range before squaring.
  const u = Math.min(1 / SAFE_MIN, Math.max(SAFE_MIN, f1, g1));
  const fs = f / u;
  const gs = g / u;
  const d = Math.sqrt(fs * fs + gs * gs);
  const r = withSignOf(d, f);
  return { c: Math.abs(fs) / d, s: gs / r, r: r * u };
}

/**
 * dlascl: multiplies by cto/cfrom, in steps of at most 1/SAFE_MIN so that no intermediate
 * overflows or underflows.
 */
export function scaleFactors(cfrom: number, cto: number): number[] {
  const small = SAFE_MIN;
  const big = 1 / small;
  const factors: number[] = [];
  let from = cfrom;
  let to = cto;
  for (;;) {
    const from1 = from * small;
    if (from1 === from) {
      factors.push(to / from); // from is infinite
      return factors;
    }
    const to1 = to / big;
    if (to1 === to) {
      factors.push(to); // to is zero or infinite
      return factors;
    }
    if (Math.abs(from1) > Math.abs(to) && to !== 0) {
      factors.push(small);
      from = from1;
    } else if (Math.abs(to1) > Math.abs(from)) {
      factors.push(big);
      to = to1;
    } else {
      const factor = to / from;
      if (factor !== 1) factors.push(factor);
      return factors;
    }
  }
}

/** The hardware fused multiply-add a·b + c with a single rounding, emulated exactly. */
export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  const x = ext.fromNumber(a);
  const y = ext.fromNumber(b);
  const z = ext.fromNumber(c);
  const productExponent = x.e + y.e;
  const e = Math.min(productExponent, z.e);
  const m = ((x.m * y.m) << BigInt(productExponent - e)) + (z.m << BigInt(z.e - e));
  // An exact zero gets its sign as in IEEE addition, which the unfused expression reproduces.
  if (m === 0n) return a * b + c;
  return ext.toNumber({ m, e });
}

/** dnrm2 (any stride): OpenBLAS sums the squares and takes the root in x87 80-bit arithmetic. */
function euclideanNorm(x: number[]): number {
  let sum = ext.fromNumber(0);
  for (const value of x) {
    const v = ext.fromNumber(value);
    sum = ext.add(sum, ext.mul(v, v));
  }
  return ext.toNumber(ext.sqrt(sum));
}

/**
 * One entry of dgemv ('T', alpha = 1, beta = 0) for a column `a` of at most 3 entries:
 * OpenBLAS's short-column code, whose fused multiply-adds gcc ordered as below, added to y = +0.
 */
export function shortColumnDot(a: number[], v: number[]): number {
  if (a.length === 1) return fusedMultiplyAdd(a[0]!, v[0]!, 0);
  const firstTwo = fusedMultiplyAdd(a[0]!, v[0]!, a[1]! * v[1]!);
  if (a.length === 2) return 0 + firstTwo;
  return 0 + fusedMultiplyAdd(a[2]!, v[2]!, firstTwo);
}

/**
 * dlarfg: the reflector H = I - tau·v·vᵀ (v[0] = 1) with H·[alpha; x] = [beta; 0]. Returns beta,
 * tau and the rest of v (x scaled); tau = 0 when x is already zero.
 */
export function householder(
  alpha: number,
  x: number[],
): { beta: number; tau: number; v: number[] } {
  if (x.length === 0) return { beta: alpha, tau: 0, v: x };
  let norm = euclideanNorm(x);
  if (norm === 0) return { beta: alpha, tau: 0, v: x };
  let beta = -withSignOf(hypotenuse(alpha, norm), alpha);
  // A tiny beta would make tau and the scaling inaccurate: rescale x and alpha up first.
  const safeMin = SAFE_MIN / EPS;
  let rescaled = 0;
  let v = x;
  let top = alpha;
  if (Math.abs(beta) < safeMin) {
    do {
      rescaled += 1;
      v = v.map((value) => value * (1 / safeMin));
      beta *= 1 / safeMin;
      top *= 1 / safeMin;
    } while (Math.abs(beta) < safeMin && rescaled < 20);
    norm = euclideanNorm(v);
    beta = -withSignOf(hypotenuse(top, norm), top);
  }
  const tau = (beta - top) / beta;
  const factor = 1 / (top - beta);
  v = v.map((value) => factor * value);
  for (let k = 0; k < rescaled; k++) beta *= safeMin;
  return { beta, tau, v };
}
