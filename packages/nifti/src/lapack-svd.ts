/**
 * The orthogonal polar factor of a 3x3 matrix exactly as nibabel's `set_qform` gets it:
 * `P, S, Qs = numpy.linalg.svd(R); numpy.dot(P, Qs)`, re-implemented step for step so that the
 * result has the same bits. That matters because for rotations near 180 degrees the quaternion's
 * w is ~1e-17 and the last bits of the polar factor decide the sign of the stored quaternion.
 *
 * numpy's `svd` (full_matrices=True) calls LAPACK `dgesdd` with JOBZ='A'. For a 3x3 matrix that is:
 * Householder bidiagonalisation (dgebrd -> unblocked dgebd2) -> SVD of the upper bidiagonal
 * matrix (dbdsdc, which for n <= 25 hands it to dlasdq -> implicit QR sweeps of dbdsqr, plus
 * three sorts) -> back-transformation of the singular vectors by the reflectors (dormbr ->
 * dorm2r / dorml2). `numpy.dot` is then an OpenBLAS dgemm. The LAPACK part is plain float64
 * arithmetic; the BLAS kernels it calls (dnrm2, dgemv, dger, drot, dgemm) are OpenBLAS 0.3.21's,
 * whose fused multiply-add orders are reproduced in blas-kernels.ts and below.
 */
import {
  EPS,
  fusedMultiplyAdd,
  givens,
  householder,
  SAFE_MIN,
  scaleFactors,
  shortColumnDot,
  withSignOf,
} from "./blas-kernels.js";
import type { Matrix } from "./linear-algebra.js";

const SIZE = 3;
/**
 * dbdsqr's relative tolerance: max(10, min(100, EPS^(-1/8)))·EPS. The power is written out
 * because V8's Math.pow rounds it one ulp away from glibc's (correctly rounded) pow.
 */
const TOLERANCE = 98.70149282610821 * EPS;
/** dbdsqr's iteration limit (MAXITR·n²) before it reports non-convergence. */
const MAX_SWEEPS = 6 * SIZE * SIZE;
/** dgesdd rescales A when its largest entry lies outside [SMALL_NORM, BIG_NORM]. */
const SMALL_NORM = Math.sqrt(SAFE_MIN) / (2 * EPS);
const BIG_NORM = 1 / SMALL_NORM;

/**
 * The orthogonal polar factor P·Qs of a 3x3 matrix from its SVD, computed as numpy.linalg.svd
 * (LAPACK dgesdd, JOBZ='A') followed by np.dot(P, Qs) compute it on this platform, bit for bit.
 *
 * Throws `RangeError` for matrices that are not 3x3 or not finite (numpy raises LinAlgError for
 * non-finite input) and `Error` if the QR iteration does not converge.
 */
export function polarFactorLapack(r: number[][]): number[][] {
  if (r.length !== SIZE || r.some((row) => row.length !== SIZE)) {
    throw new RangeError("the matrix must be 3x3");
  }
  if (r.some((row) => row.some((value) => !Number.isFinite(value)))) {
    throw new RangeError("the matrix must hold finite numbers");
  }
  const a = scaleIntoRange(r.map((row) => [...row]));
  const { d, e, tauLeft, tauRight } = bidiagonalize(a);
  const { u, vt } = bidiagonalSvd(d, e);
  applyLeftReflectors(a, tauLeft, u);
  applyRightReflectors(a, tauRight, vt);
  return matrixProduct(u, vt);
}

// ---------------------------------------------------------------------------------------------
// dgesdd's scaling of matrices with extreme entries (dlange 'M' and dlascl)

/** Scales `a` as dgesdd does when its largest entry is tiny or huge; the vectors come from that. */
function scaleIntoRange(a: Matrix): Matrix {
  const norm = Math.max(...a.flat().map(Math.abs));
  let target = norm;
  if (norm > 0 && norm < SMALL_NORM) target = SMALL_NORM;
  else if (norm > BIG_NORM) target = BIG_NORM;
  if (target === norm) return a;
  return scaleFactors(norm, target).reduce(
    (scaled, factor) => scaled.map((row) => row.map((value) => value * factor)),
    a,
  );
}

// ---------------------------------------------------------------------------------------------
// Step 1: Householder bidiagonalisation (dgebrd -> dgebd2, upper bidiagonal since m >= n)

/**
 * dgebd2: Qᵀ·A·P = B, upper bidiagonal with diagonal d and superdiagonal e. Reflector i from the
 * left is stored below the diagonal in column i of `a`, reflector i from the right to the right
 * of the superdiagonal in row i (their leading 1s implicit).
 */
function bidiagonalize(a: Matrix): {
  d: number[];
  e: number[];
  tauLeft: number[];
  tauRight: number[];
} {
  const d: number[] = [];
  const e: number[] = [];
  const tauLeft: number[] = [];
  const tauRight: number[] = [];
  for (let i = 0; i < SIZE; i++) {
    // Annihilate a[i+1.., i] with a reflector from the left.
    const below = householder(
      a[i]![i]!,
      rangeTo(i + 1, SIZE).map((row) => a[row]![i]!),
    );
    below.v.forEach((value, k) => {
      a[i + 1 + k]![i] = value;
    });
    d.push(below.beta);
    tauLeft.push(below.tau);
    if (i < SIZE - 1) reflectFromLeft(a, i, i + 1, [1, ...below.v], below.tau);
    a[i]![i] = below.beta;
    if (i === SIZE - 1) {
      tauRight.push(0);
      break;
    }
    // Annihilate a[i, i+2..] with a reflector from the right.
    const beyond = householder(
      a[i]![i + 1]!,
      rangeTo(i + 2, SIZE).map((column) => a[i]![column]!),
    );
    beyond.v.forEach((value, k) => {
      a[i]![i + 2 + k] = value;
    });
    e.push(beyond.beta);
    tauRight.push(beyond.tau);
    reflectFromRight(a, i + 1, i + 1, [1, ...beyond.v], beyond.tau);
    a[i]![i + 1] = beyond.beta;
  }
  return { d, e, tauLeft, tauRight };
}

/** The integers from `start` up to but excluding `end`. */
function rangeTo(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, k) => start + k);
}

/** dlarf's trimming: v without its trailing zeros, which touch nothing. */
function trimTrailingZeros(v: number[]): number[] {
  let length = v.length;
  while (length > 0 && v[length - 1] === 0) length -= 1;
  return v.slice(0, length);
}

/**
 * dlarf (SIDE='L') on the block c[top.., left..]: C := (I - tau·v·vᵀ)·C, via w = Cᵀ·v (dgemv)
 * and C -= tau·v·wᵀ (dger), over the rows v reaches and up to the last non-zero column.
 */
function reflectFromLeft(c: Matrix, top: number, left: number, v: number[], tau: number): void {
  if (tau === 0) return;
  const vector = trimTrailingZeros(v);
  const rows = vector.map((_, k) => top + k);
  const columns = rangeTo(left, c[0]!.length);
  while (columns.length > 0 && rows.every((row) => c[row]![columns.at(-1)!] === 0)) columns.pop();
  const w = columns.map((column) =>
    shortColumnDot(
      rows.map((row) => c[row]![column]!),
      vector,
    ),
  );
  columns.forEach((column, j) => {
    const scale = -tau * w[j]!;
    rows.forEach((row, k) => {
      c[row]![column] = fusedMultiplyAdd(scale, vector[k]!, c[row]![column]!);
    });
  });
}

/**
 * dlarf (SIDE='R') on the block c[top.., left..]: C := C·(I - tau·v·vᵀ), via w = C·v (dgemv 'N')
 * and C -= tau·w·vᵀ (dger), over the columns v reaches and up to the last non-zero row.
 */
function reflectFromRight(c: Matrix, top: number, left: number, v: number[], tau: number): void {
  if (tau === 0) return;
  const vector = trimTrailingZeros(v);
  const columns = vector.map((_, k) => left + k);
  const rows = rangeTo(top, c.length);
  while (rows.length > 0 && columns.every((column) => c[rows.at(-1)!]![column] === 0)) rows.pop();
  const w = rows.map((row) =>
    rowTimesVector(
      columns.map((column) => c[row]![column]!),
      vector,
    ),
  );
  columns.forEach((column, k) => {
    const scale = -tau * vector[k]!;
    rows.forEach((row, i) => {
      c[row]![column] = fusedMultiplyAdd(scale, w[i]!, c[row]![column]!);
    });
  });
}

/**
 * One entry of dgemv ('N', alpha = 1, beta = 0): OpenBLAS accumulates column after column with
 * fused multiply-adds from +0, then adds the sum to y = +0.
 */
function rowTimesVector(row: number[], v: number[]): number {
  let sum = 0;
  row.forEach((value, k) => {
    sum = fusedMultiplyAdd(value, v[k]!, sum);
  });
  return 0 + sum;
}

// ---------------------------------------------------------------------------------------------
// Step 2: SVD of the bidiagonal matrix (dbdsdc COMPQ='I' -> dlasdq -> dbdsqr), B = U·S·VT

interface Bidiagonal {
  d: number[];
  e: number[];
  /** Left singular vectors accumulated so far, as columns. */
  u: Matrix;
  /** Right singular vectors accumulated so far, as rows. */
  vt: Matrix;
}

function bidiagonalSvd(d: number[], e: number[]): { u: Matrix; vt: Matrix } {
  const b: Bidiagonal = { d, e, u: identity(), vt: identity() };
  implicitQr(b);
  makeNonNegative(b);
  // dbdsqr sorts descending, dlasdq then ascending, dbdsdc descending again; with (nearly)
  // equal singular values, as for rotations, each sort's tie rule decides the vector order.
  sortDescendingLastSmallest(b);
  sortAscending(b);
  sortDescending(b);
  return { u: b.u, vt: b.vt };
}

function identity(): Matrix {
  return Array.from({ length: SIZE }, (_, i) =>
    Array.from({ length: SIZE }, (_, j) => (i === j ? 1 : 0)),
  );
}

/** State of dbdsqr's main loop that persists between sweeps. */
interface Sweeps {
  threshold: number;
  count: number;
  /** The block of the previous sweep, to notice when a new block starts. */
  previous: { lo: number; hi: number };
  towardsBottom: boolean;
}

/**
 * dbdsqr's main loop: deflate negligible superdiagonal entries, solve trailing 2x2 blocks
 * directly and chase bulges through larger blocks until the matrix is diagonal.
 */
function implicitQr(b: Bidiagonal): void {
  const sweeps: Sweeps = {
    threshold: convergenceThreshold(b),
    count: 0,
    previous: { lo: -1, hi: -1 },
    towardsBottom: true,
  };
  let hi = SIZE - 1;
  while (hi > 0) {
    if (sweeps.count > MAX_SWEEPS) throw new Error("the SVD iteration did not converge");
    const block = unreducedBlock(b, hi, sweeps.threshold);
    if (block === undefined) {
      hi -= 1; // d[hi] has converged
      continue;
    }
    const { lo, largest } = block;
    if (lo === hi - 1) {
      solve2x2(b, lo);
      hi -= 2;
      continue;
    }
    if (lo > sweeps.previous.hi || hi < sweeps.previous.lo) {
      // A new block: chase the bulge from the larger end towards the smaller one.
      sweeps.towardsBottom = Math.abs(b.d[lo]!) >= Math.abs(b.d[hi]!);
    }
    const smallest = relativeConvergence(b, lo, hi, sweeps.towardsBottom);
    if (smallest === undefined) continue;
    sweeps.previous = { lo, hi };
    const shift = chooseShift(b, lo, hi, sweeps.towardsBottom, smallest, largest);
    sweeps.count += hi - lo;
    if (shift === 0) zeroShiftSweep(b, lo, hi, sweeps.towardsBottom);
    else shiftedSweep(b, lo, hi, sweeps.towardsBottom, shift);
    const last = sweeps.towardsBottom ? hi - 1 : lo;
    if (Math.abs(b.e[last]!) <= sweeps.threshold) b.e[last] = 0;
  }
}

/** dbdsqr's absolute threshold: TOL times an estimate of the smallest singular value. */
function convergenceThreshold({ d, e }: Bidiagonal): number {
  let estimate = Math.abs(d[0]!);
  if (estimate !== 0) {
    let mu = estimate;
    for (let i = 1; i < SIZE; i++) {
      mu = Math.abs(d[i]!) * (mu / (mu + Math.abs(e[i - 1]!)));
      estimate = Math.min(estimate, mu);
      if (estimate === 0) break;
    }
  }
  estimate /= Math.sqrt(SIZE);
  return Math.max(TOLERANCE * estimate, 6 * (SIZE * (SIZE * SAFE_MIN)));
}

/**
 * The unreduced block ending at `hi`: scans upwards for a negligible e (set to zero). Returns
 * undefined when e[hi - 1] itself is negligible, else the block's start and its largest entry.
 */
function unreducedBlock(
  { d, e }: Bidiagonal,
  hi: number,
  threshold: number,
): { lo: number; largest: number } | undefined {
  let largest = Math.abs(d[hi]!);
  for (let k = hi - 1; k >= 0; k--) {
    const diagonal = Math.abs(d[k]!);
    const off = Math.abs(e[k]!);
    if (off <= threshold) {
      e[k] = 0;
      return k === hi - 1 ? undefined : { lo: k + 1, largest };
    }
    largest = Math.max(largest, diagonal, off);
  }
  return { lo: 0, largest };
}

/**
 * dbdsqr's convergence tests in the sweep direction. Sets a negligible e to zero and returns
 * undefined (the block must be found again), else the estimate of the smallest singular value.
 */
function relativeConvergence(
  { d, e }: Bidiagonal,
  lo: number,
  hi: number,
  towardsBottom: boolean,
): number | undefined {
  if (towardsBottom) {
    if (Math.abs(e[hi - 1]!) <= TOLERANCE * Math.abs(d[hi]!)) {
      e[hi - 1] = 0;
      return undefined;
    }
    let mu = Math.abs(d[lo]!);
    let smallest = mu;
    for (let k = lo; k < hi; k++) {
      if (Math.abs(e[k]!) <= TOLERANCE * mu) {
        e[k] = 0;
        return undefined;
      }
      mu = Math.abs(d[k + 1]!) * (mu / (mu + Math.abs(e[k]!)));
      smallest = Math.min(smallest, mu);
    }
    return smallest;
  }
  if (Math.abs(e[lo]!) <= TOLERANCE * Math.abs(d[lo]!)) {
    e[lo] = 0;
    return undefined;
  }
  let mu = Math.abs(d[hi]!);
  let smallest = mu;
  for (let k = hi - 1; k >= lo; k--) {
    if (Math.abs(e[k]!) <= TOLERANCE * mu) {
      e[k] = 0;
      return undefined;
    }
    mu = Math.abs(d[k]!) * (mu / (mu + Math.abs(e[k]!)));
    smallest = Math.min(smallest, mu);
  }
  return smallest;
}

/**
 * The shift for the next sweep: the smaller singular value of the 2x2 block at the far end, or
 * zero when shifting would spoil relative accuracy or hardly matters.
 */
function chooseShift(
  { d, e }: Bidiagonal,
  lo: number,
  hi: number,
  towardsBottom: boolean,
  smallest: number,
  largest: number,
): number {
  if (SIZE * TOLERANCE * (smallest / largest) <= Math.max(EPS, 0.01 * TOLERANCE)) return 0;
  const [start, k] = towardsBottom ? [Math.abs(d[lo]!), hi - 1] : [Math.abs(d[hi]!), lo];
  const shift = smallerSingularValue2x2(d[k]!, e[k]!, d[k + 1]!);
  if (start > 0 && (shift / start) ** 2 < EPS) return 0;
  return shift;
}

/**
 * One zero-shift QR sweep (Demmel-Kahan) over lo..hi, towards the bottom or the top. The
 * rotations are applied to VT (rows) and U (columns) afterwards, as dlasr does.
 */
function zeroShiftSweep(b: Bidiagonal, lo: number, hi: number, towardsBottom: boolean): void {
  const { d, e } = b;
  const right: Rotation[] = [];
  const left: Rotation[] = [];
  let cs = 1;
  let oldCs = 1;
  let oldSn = 0;
  if (towardsBottom) {
    for (let i = lo; i < hi; i++) {
      const first = givens(d[i]! * cs, e[i]!);
      cs = first.c;
      if (i > lo) e[i - 1] = oldSn * first.r;
      const second = givens(oldCs * first.r, d[i + 1]! * first.s);
      oldCs = second.c;
      oldSn = second.s;
      d[i] = second.r;
      right.push({ c: first.c, s: first.s });
      left.push({ c: second.c, s: second.s });
    }
    const h = d[hi]! * cs;
    d[hi] = h * oldCs;
    e[hi - 1] = h * oldSn;
    rotateRows(b.vt, lo, right, true);
    rotateColumns(b.u, lo, left, true);
    return;
  }
  for (let i = hi; i > lo; i--) {
    const first = givens(d[i]! * cs, e[i - 1]!);
    cs = first.c;
    if (i < hi) e[i] = oldSn * first.r;
    const second = givens(oldCs * first.r, d[i - 1]! * first.s);
    oldCs = second.c;
    oldSn = second.s;
    d[i] = second.r;
    left.unshift({ c: first.c, s: -first.s });
    right.unshift({ c: second.c, s: -second.s });
  }
  const h = d[lo]! * cs;
  d[lo] = h * oldCs;
  e[lo] = h * oldSn;
  rotateRows(b.vt, lo, right, false);
  rotateColumns(b.u, lo, left, false);
}

/** One implicitly shifted QR sweep over lo..hi, towards the bottom or the top. */
function shiftedSweep(
  b: Bidiagonal,
  lo: number,
  hi: number,
  towardsBottom: boolean,
  shift: number,
): void {
  const { d, e } = b;
  const right: Rotation[] = [];
  const left: Rotation[] = [];
  if (towardsBottom) {
    let f = (Math.abs(d[lo]!) - shift) * (withSignOf(1, d[lo]!) + shift / d[lo]!);
    let g = e[lo]!;
    for (let i = lo; i < hi; i++) {
      const r = givens(f, g);
      if (i > lo) e[i - 1] = r.r;
      f = r.c * d[i]! + r.s * e[i]!;
      e[i] = r.c * e[i]! - r.s * d[i]!;
      g = r.s * d[i + 1]!;
      d[i + 1] = r.c * d[i + 1]!;
      const l = givens(f, g);
      d[i] = l.r;
      f = l.c * e[i]! + l.s * d[i + 1]!;
      d[i + 1] = l.c * d[i + 1]! - l.s * e[i]!;
      if (i < hi - 1) {
        g = l.s * e[i + 1]!;
        e[i + 1] = l.c * e[i + 1]!;
      }
      right.push({ c: r.c, s: r.s });
      left.push({ c: l.c, s: l.s });
    }
    e[hi - 1] = f;
    rotateRows(b.vt, lo, right, true);
    rotateColumns(b.u, lo, left, true);
    return;
  }
  let f = (Math.abs(d[hi]!) - shift) * (withSignOf(1, d[hi]!) + shift / d[hi]!);
  let g = e[hi - 1]!;
  for (let i = hi; i > lo; i--) {
    const r = givens(f, g);
    if (i < hi) e[i] = r.r;
    f = r.c * d[i]! + r.s * e[i - 1]!;
    e[i - 1] = r.c * e[i - 1]! - r.s * d[i]!;
    g = r.s * d[i - 1]!;
    d[i - 1] = r.c * d[i - 1]!;
    const l = givens(f, g);
    d[i] = l.r;
    f = l.c * e[i - 1]! + l.s * d[i - 1]!;
    d[i - 1] = l.c * d[i - 1]! - l.s * e[i - 1]!;
    if (i > lo + 1) {
      g = l.s * e[i - 2]!;
      e[i - 2] = l.c * e[i - 2]!;
    }
    // Sweeping upwards works on the transpose: left and right rotations trade places.
    left.unshift({ c: r.c, s: -r.s });
    right.unshift({ c: l.c, s: -l.s });
  }
  e[lo] = f;
  rotateRows(b.vt, lo, right, false);
  rotateColumns(b.u, lo, left, false);
}

interface Rotation {
  c: number;
  s: number;
}

/**
 * dlasr (SIDE='L', PIVOT='V'): rotation k acts on rows first + k and first + k + 1 of m, in
 * increasing k when `forward`, else decreasing. Plain arithmetic (reference LAPACK).
 */
function rotateRows(m: Matrix, first: number, rotations: Rotation[], forward: boolean): void {
  forEachRotation(rotations, forward, ({ c, s }, k) => {
    const upper = m[first + k]!;
    const lower = m[first + k + 1]!;
    for (let j = 0; j < SIZE; j++) {
      const t = lower[j]!;
      lower[j] = c * t - s * upper[j]!;
      upper[j] = s * t + c * upper[j]!;
    }
  });
}

/** dlasr (SIDE='R', PIVOT='V'): rotation k acts on columns first + k and first + k + 1. */
function rotateColumns(m: Matrix, first: number, rotations: Rotation[], forward: boolean): void {
  forEachRotation(rotations, forward, ({ c, s }, k) => {
    for (const row of m) {
      const t = row[first + k + 1]!;
      row[first + k + 1] = c * t - s * row[first + k]!;
      row[first + k] = s * t + c * row[first + k]!;
    }
  });
}

/** dlasr's loop: skips identity rotations. */
function forEachRotation(
  rotations: Rotation[],
  forward: boolean,
  apply: (rotation: Rotation, k: number) => void,
): void {
  const count = rotations.length;
  for (let step = 0; step < count; step++) {
    const k = forward ? step : count - 1 - step;
    const rotation = rotations[k]!;
    if (rotation.c !== 1 || rotation.s !== 0) apply(rotation, k);
  }
}

/**
 * The 2x2 block [d[k] e[k]; 0 d[k+1]] diagonalised directly (dlasv2); its rotations go to VT and
 * U through OpenBLAS's drot.
 */
function solve2x2(b: Bidiagonal, k: number): void {
  const { d, e } = b;
  const svd = singularValues2x2(d[k]!, e[k]!, d[k + 1]!);
  d[k] = svd.larger;
  e[k] = 0;
  d[k + 1] = svd.smaller;
  const [upper, lower] = planeRotation(b.vt[k]!, b.vt[k + 1]!, svd.cosRight, svd.sinRight);
  b.vt[k] = upper;
  b.vt[k + 1] = lower;
  const [left, right] = planeRotation(
    b.u.map((row) => row[k]!),
    b.u.map((row) => row[k + 1]!),
    svd.cosLeft,
    svd.sinLeft,
  );
  b.u.forEach((row, i) => {
    row[k] = left[i]!;
    row[k + 1] = right[i]!;
  });
}

/** drot: x' = c·x + s·y, y' = c·y - s·x, each one fused multiply-add in OpenBLAS's kernel. */
function planeRotation(x: number[], y: number[], c: number, s: number): [number[], number[]] {
  return [
    x.map((value, i) => fusedMultiplyAdd(c, value, s * y[i]!)),
    y.map((value, i) => fusedMultiplyAdd(c, value, -(s * x[i]!))),
  ];
}

/** dlas2: the smaller singular value of [f g; 0 h], as used for the shift. */
function smallerSingularValue2x2(f: number, g: number, h: number): number {
  const fa = Math.abs(f);
  const ga = Math.abs(g);
  const ha = Math.abs(h);
  const min = Math.min(fa, ha);
  const max = Math.max(fa, ha);
  if (min === 0) return 0;
  if (ga < max) {
    const as = 1 + min / max;
    const at = (max - min) / max;
    const au = (ga / max) ** 2;
    return min * (2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au)));
  }
  const au = max / ga;
  if (au === 0) return (min * max) / ga;
  const as = 1 + min / max;
  const at = (max - min) / max;
  const c = 1 / (Math.sqrt(1 + (as * au) ** 2) + Math.sqrt(1 + (at * au) ** 2));
  const smaller = min * c * au;
  return smaller + smaller;
}

/**
 * dlasv2: the SVD of the upper triangular [f g; 0 h], with signed singular values and the left
 * and right rotations (cos, sin) that diagonalise it.
 */
function singularValues2x2(
  f: number,
  g: number,
  h: number,
): {
  smaller: number;
  larger: number;
  cosLeft: number;
  sinLeft: number;
  cosRight: number;
  sinRight: number;
} {
  // Work with ft the larger of the two diagonal entries in magnitude; swap back at the end.
  const swap = Math.abs(h) > Math.abs(f);
  const ft = swap ? h : f;
  const ht = swap ? f : h;
  const fa = Math.abs(ft);
  const ha = Math.abs(ht);
  let pmax: "f" | "g" | "h" = swap ? "h" : "f";
  const ga = Math.abs(g);
  let ssmin: number;
  let ssmax: number;
  let clt: number;
  let crt: number;
  let slt: number;
  let srt: number;
  if (ga === 0) {
    ssmin = ha;
    ssmax = fa;
    [clt, crt, slt, srt] = [1, 1, 0, 0];
  } else if (ga > fa && fa / ga < EPS) {
    // A huge off-diagonal entry.
    pmax = "g";
    ssmax = ga;
    ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
    [clt, slt, srt, crt] = [1, ht / g, 1, ft / g];
  } else {
    if (ga > fa) pmax = "g";
    const dd = fa - ha;
    let l = dd === fa ? 1 : dd / fa;
    const m = g / ft;
    let t = 2 - l;
    const mm = m * m;
    const tt = t * t;
    const s = Math.sqrt(tt + mm);
    const r = l === 0 ? Math.abs(m) : Math.sqrt(l * l + mm);
    const a = 0.5 * (s + r);
    ssmin = ha / a;
    ssmax = fa * a;
    if (mm === 0) {
      t = l === 0 ? withSignOf(2, ft) * withSignOf(1, g) : g / withSignOf(dd, ft) + m / t;
    } else {
      t = (m / (s + t) + m / (r + l)) * (1 + a);
    }
    l = Math.sqrt(t * t + 4);
    crt = 2 / l;
    srt = t / l;
    clt = (crt + srt * m) / a;
    slt = ((ht / ft) * srt) / a;
  }
  const [cosLeft, sinLeft, cosRight, sinRight] = swap ? [srt, crt, slt, clt] : [clt, slt, crt, srt];
  // The signs of the singular values follow from those of the rotations and the entries.
  const one = (x: number) => withSignOf(1, x);
  let sign: number;
  if (pmax === "f") sign = one(cosRight) * one(cosLeft) * one(f);
  else if (pmax === "g") sign = one(sinRight) * one(cosLeft) * one(g);
  else sign = one(sinRight) * one(sinLeft) * one(h);
  return {
    larger: withSignOf(ssmax, sign),
    smaller: withSignOf(ssmin, sign * one(f) * one(h)),
    cosLeft,
    sinLeft,
    cosRight,
    sinRight,
  };
}

/** dbdsqr's last step before sorting: negative singular values flip their row of VT (dscal -1). */
function makeNonNegative({ d, vt }: Bidiagonal): void {
  d.forEach((value, i) => {
    if (value < 0) {
      d[i] = -value;
      vt[i] = vt[i]!.map((x) => -x);
    }
  });
}

function swapSingularPairs({ d, u, vt }: Bidiagonal, i: number, j: number): void {
  [d[i], d[j]] = [d[j]!, d[i]!];
  [vt[i], vt[j]] = [vt[j]!, vt[i]!];
  for (const row of u) [row[i], row[j]] = [row[j]!, row[i]!];
}

/** dbdsqr's sort: moves the smallest value, the last of equal ones, to the end, and so on. */
function sortDescendingLastSmallest(b: Bidiagonal): void {
  for (let end = SIZE - 1; end > 0; end--) {
    let k = 0;
    for (let j = 1; j <= end; j++) if (b.d[j]! <= b.d[k]!) k = j;
    if (k !== end) swapSingularPairs(b, k, end);
  }
}

/** dlasdq's sort: ascending, the first of equal smallest values moving to the front. */
function sortAscending(b: Bidiagonal): void {
  for (let i = 0; i < SIZE; i++) {
    let k = i;
    for (let j = i + 1; j < SIZE; j++) if (b.d[j]! < b.d[k]!) k = j;
    if (k !== i) swapSingularPairs(b, k, i);
  }
}

/** dbdsdc's selection sort: descending, the first of equal largest values moving to the front. */
function sortDescending(b: Bidiagonal): void {
  for (let i = 0; i < SIZE - 1; i++) {
    let k = i;
    for (let j = i + 1; j < SIZE; j++) if (b.d[j]! > b.d[k]!) k = j;
    if (k !== i) swapSingularPairs(b, i, k);
  }
}

// ---------------------------------------------------------------------------------------------
// Step 3: back-transformation (dormbr) and the product (dgemm)

/** dormbr('Q', 'L', 'N') -> dorm2r: U := Q·U, applying the left reflectors last one first. */
function applyLeftReflectors(a: Matrix, tau: number[], u: Matrix): void {
  for (let i = SIZE - 1; i >= 0; i--) {
    const v = [1, ...rangeTo(i + 1, SIZE).map((row) => a[row]![i]!)];
    reflectFromLeft(u, i, 0, v, tau[i]!);
  }
}

/**
 * dormbr('P', 'R', 'T') -> dorml2: VT := VT·Pᵀ. Reflector i acts on columns i + 1.., last one
 * first.
 */
function applyRightReflectors(a: Matrix, tau: number[], vt: Matrix): void {
  for (let i = SIZE - 2; i >= 0; i--) {
    const v = [1, ...rangeTo(i + 2, SIZE).map((column) => a[i]![column]!)];
    reflectFromRight(vt, 0, i + 1, v, tau[i]!);
  }
}

/** dgemm as OpenBLAS runs it for numpy.dot of 3x3 matrices: a fused multiply-add chain from +0. */
function matrixProduct(a: Matrix, b: Matrix): Matrix {
  return a.map((row) =>
    rangeTo(0, SIZE).map((j) =>
      row.reduce((sum, value, k) => fusedMultiplyAdd(value, b[k]![j]!, sum), 0),
    ),
  );
}
