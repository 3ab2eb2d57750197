/**
 * The symmetric eigensolver numpy's `linalg.eigh` runs (LAPACK `dsyevd`, JOBZ='V', UPLO='L'),
 * re-implemented step for step for matrices up to 4x4, so that eigenvectors come out with the
 * same signs (down to the sign of zero components) and, as far as checked, the same bits.
 *
 * For n <= 25 `dsyevd` is: scale if the norm is extreme -> Householder reduction to tridiagonal
 * form (unblocked for small n) -> implicit QL/QR with Wilkinson shifts on the tridiagonal
 * (`dsteqr`) -> selection sort -> back-transformation by the Householder reflectors.
 *
 * The reference LAPACK part is plain float64 arithmetic. The BLAS calls go to OpenBLAS (0.3.21,
 * as Debian ships it), whose x86-64 kernels differ from textbook BLAS in ways that reach the last
 * bit: they use fused multiply-adds in fixed orders, `dnrm2` sums squares in x87 80-bit
 * arithmetic, and `dsymv`, when more than one thread is available (numpy's default), computes
 * `A·x` first and multiplies by alpha afterwards. Those kernels are reproduced below and in
 * blas-kernels.ts for the vector lengths a 4x4 problem uses (hence the size limit). With OPENBLAS_NUM_THREADS=1 numpy
 * rounds dsymv differently, and the last bits, occasionally even the overall sign of a vector,
 * change; the nibabel fixtures were made with the default threading, as is reproduced here.
 */
import {
  EPS,
  fusedMultiplyAdd,
  givens,
  householder,
  hypotenuse,
  SAFE_MIN,
  scaleFactors,
  shortColumnDot,
  withSignOf,
} from "./blas-kernels.js";
import type { Matrix } from "./linear-algebra.js";

/** QL/QR iterations allowed per eigenvalue before giving up, as in dsteqr. */
const MAX_ITERATIONS_PER_VALUE = 30;
/** The largest size whose BLAS kernel paths are reproduced here. */
const MAX_SIZE = 4;

/**
 * Eigenvalues ascending and eigenvectors (columns) of a small symmetric matrix, computed the way
 * LAPACK dsyevd (UPLO='L') does, so that signs of the vectors match numpy.linalg.eigh.
 *
 * Only the lower triangle of `a` is read. Throws `RangeError` for matrices that are not square,
 * larger than 4x4 or not finite, and `Error` if the iteration does not converge (where numpy
 * raises `LinAlgError`).
 */
export function symmetricEigenLapack(a: number[][]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  if (a.some((row) => row.length !== n)) throw new RangeError("the matrix must be square");
  if (n > MAX_SIZE) {
    throw new RangeError(`only matrices up to ${MAX_SIZE}x${MAX_SIZE} are supported`);
  }
  if (a.some((row) => row.some((value) => !Number.isFinite(value)))) {
    throw new RangeError("the matrix must hold finite numbers");
  }
  if (n === 0) return { values: [], vectors: [] };
  if (n === 1) return { values: [a[0]![0]!], vectors: [[1]] };

  const work = a.map((row) => [...row]);
  // Bring a norm near under- or overflow into a safe range first; undo it on the eigenvalues.
  const sigma = normScale(work);
  if (sigma !== 1) scaleLowerTriangle(work, 1, sigma);
  const { diagonal, offDiagonal, tau } = reduceToTridiagonal(work);
  const { values, vectors } = tridiagonalEigen(diagonal, offDiagonal);
  applyReflectors(work, tau, vectors);
  return { values: sigma === 1 ? values : values.map((value) => value * (1 / sigma)), vectors };
}

// ---------------------------------------------------------------------------------------------
// Scalar helpers (LAPACK's dlaev2, dlascl)

/**
 * dlaev2: eigen-decomposition of the 2x2 block [a b; b c]. rt1 is the eigenvalue of larger
 * absolute value and (cs, sn) its unit eigenvector.
 */
function symmetric2x2(
  a: number,
  b: number,
  c: number,
): { rt1: number; rt2: number; cs: number; sn: number } {
  const sum = a + c;
  const df = a - c;
  const adf = Math.abs(df);
  const tb = b + b;
  const ab = Math.abs(tb);
  const [acmx, acmn] = Math.abs(a) > Math.abs(c) ? [a, c] : [c, a];
  let rt: number;
  if (adf > ab) rt = adf * Math.sqrt(1 + (ab / adf) * (ab / adf));
  else if (adf < ab) rt = ab * Math.sqrt(1 + (adf / ab) * (adf / ab));
  else rt = ab * Math.SQRT2;
  let rt1: number;
  let rt2: number;
  let sgn1: number;
  if (sum < 0) {
    rt1 = 0.5 * (sum - rt);
    sgn1 = -1;
    // The smaller eigenvalue from the determinant, avoiding cancellation.
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else if (sum > 0) {
    rt1 = 0.5 * (sum + rt);
    sgn1 = 1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else {
    rt1 = 0.5 * rt;
    rt2 = -0.5 * rt;
    sgn1 = 1;
  }
  // The eigenvector, from whichever of its two expressions is better conditioned.
  const sgn2 = df >= 0 ? 1 : -1;
  const cs = df >= 0 ? df + rt : df - rt;
  let cs1: number;
  let sn1: number;
  if (Math.abs(cs) > ab) {
    const ct = -tb / cs;
    sn1 = 1 / Math.sqrt(1 + ct * ct);
    cs1 = ct * sn1;
  } else if (ab === 0) {
    cs1 = 1;
    sn1 = 0;
  } else {
    const tn = -cs / tb;
    cs1 = 1 / Math.sqrt(1 + tn * tn);
    sn1 = tn * cs1;
  }
  if (sgn1 === sgn2) [cs1, sn1] = [-sn1, cs1];
  return { rt1, rt2, cs: cs1, sn: sn1 };
}

function scaleLowerTriangle(a: Matrix, cfrom: number, cto: number): void {
  for (const factor of scaleFactors(cfrom, cto)) {
    a.forEach((row, i) => {
      for (let j = 0; j <= i; j++) row[j]! *= factor;
    });
  }
}

function scaleRange(values: number[], from: number, to: number, cfrom: number, cto: number): void {
  for (const factor of scaleFactors(cfrom, cto)) {
    for (let i = from; i <= to; i++) values[i]! *= factor;
  }
}

/** dsyevd's scaling: a factor that brings the largest entry into [sqrt(tiny), sqrt(huge)]. */
function normScale(a: Matrix): number {
  let norm = 0;
  a.forEach((row, i) => {
    for (let j = 0; j <= i; j++) norm = Math.max(norm, Math.abs(row[j]!));
  });
  // dlamch('P') = 2·EPS here, unlike the dlamch('E') = EPS of the other steps.
  const smallNumber = SAFE_MIN / (2 * EPS);
  const rootMin = Math.sqrt(smallNumber);
  const rootMax = Math.sqrt(1 / smallNumber);
  if (norm > 0 && norm < rootMin) return rootMin / norm;
  if (norm > rootMax) return rootMax / norm;
  return 1;
}

// ---------------------------------------------------------------------------------------------
// The OpenBLAS kernels only dsytrd uses, operation for operation

/** ddot: one fused multiply-add per element, from +0. */
function dot(x: number[], y: number[]): number {
  let sum = 0;
  x.forEach((value, i) => {
    sum = fusedMultiplyAdd(value, y[i]!, sum);
  });
  return sum;
}

/**
 * dsymv (lower, beta = 0) on the trailing block of `a` from `offset`: the threaded driver computes
 * A·x with alpha = 1 into a zeroed buffer, column by column, then adds alpha times it to y = 0.
 */
function symmetricTimesVector(a: Matrix, offset: number, alpha: number, x: number[]): number[] {
  const n = x.length;
  const y = new Array<number>(n).fill(0);
  for (let j = 0; j < n; j++) {
    const column = (i: number) => a[offset + i]![offset + j]!;
    let below = 0;
    y[j] = fusedMultiplyAdd(x[j]!, column(j), y[j]!);
    for (let i = j + 1; i < n; i++) {
      y[i] = fusedMultiplyAdd(x[j]!, column(i), y[i]!);
      below = fusedMultiplyAdd(column(i), x[i]!, below);
    }
    y[j] = below + y[j]!;
  }
  return y.map((value) => alpha * value + 0);
}

/** dgemv ('T') for one column of z restricted to `rows`. */
function columnDot(z: Matrix, rows: number[], column: number, v: number[]): number {
  return shortColumnDot(
    rows.map((row) => z[row]![column]!),
    v,
  );
}

// ---------------------------------------------------------------------------------------------
// Step 1: Householder reduction to tridiagonal form (dsytrd -> dsytd2, lower)

/**
 * dsytd2 (lower): Qᵀ·A·Q = T, one reflector per column. On return the strict lower part of
 * column i of `a` below the subdiagonal holds the reflector's vector (its leading 1 implicit).
 */
function reduceToTridiagonal(a: Matrix): {
  diagonal: number[];
  offDiagonal: number[];
  tau: number[];
} {
  const n = a.length;
  const diagonal: number[] = [];
  const offDiagonal: number[] = [];
  const tau: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    const below: number[] = [];
    for (let r = i + 2; r < n; r++) below.push(a[r]![i]!);
    const reflector = householder(a[i + 1]![i]!, below);
    reflector.v.forEach((value, k) => {
      a[i + 2 + k]![i] = value;
    });
    const t = reflector.tau;
    if (t !== 0) {
      const v = [1, ...reflector.v];
      // w = tau·A·v - (tau/2)(vᵀ·tau·A·v)·v, then A - v·wᵀ - w·vᵀ on the trailing block.
      let w = symmetricTimesVector(a, i + 1, t, v);
      const alpha = -(0.5 * t * dot(w, v));
      if (alpha !== 0) w = w.map((value, k) => fusedMultiplyAdd(alpha, v[k]!, value));
      rankTwoUpdate(a, i + 1, v, w);
    }
    a[i + 1]![i] = reflector.beta;
    offDiagonal.push(reflector.beta);
    diagonal.push(a[i]![i]!);
    tau.push(t);
  }
  diagonal.push(a[n - 1]![n - 1]!);
  return { diagonal, offDiagonal, tau };
}

/** dsyr2 (lower, alpha = -1) on the trailing block: A -= v·wᵀ + w·vᵀ, column by column. */
function rankTwoUpdate(a: Matrix, offset: number, v: number[], w: number[]): void {
  const m = v.length;
  for (let c = 0; c < m; c++) {
    const fromV = -v[c]!;
    for (let r = c; r < m; r++) {
      a[offset + r]![offset + c] = fusedMultiplyAdd(fromV, w[r]!, a[offset + r]![offset + c]!);
    }
    const fromW = -w[c]!;
    for (let r = c; r < m; r++) {
      a[offset + r]![offset + c] = fusedMultiplyAdd(fromW, v[r]!, a[offset + r]![offset + c]!);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Step 2: eigen-decomposition of the tridiagonal matrix (dsteqr with COMPZ='I')

interface Tridiagonal {
  d: number[];
  e: number[];
  /** Accumulated rotations: the eigenvectors of the tridiagonal matrix, as columns. */
  z: Matrix;
  iterations: number;
  maxIterations: number;
}

function tridiagonalEigen(d: number[], e: number[]): { values: number[]; vectors: Matrix } {
  const n = d.length;
  const t: Tridiagonal = {
    d,
    e,
    z: Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))),
    iterations: 0,
    maxIterations: n * MAX_ITERATIONS_PER_VALUE,
  };
  let start = 0;
  while (start < n) {
    if (start > 0) e[start - 1] = 0;
    const end = blockEnd(t, start);
    const blockStart = start;
    start = end + 1;
    if (end === blockStart) continue;
    // Scale a block whose entries are near under- or overflow, and undo it afterwards.
    let norm = 0;
    for (let i = blockStart; i <= end; i++) norm = Math.max(norm, Math.abs(d[i]!));
    for (let i = blockStart; i < end; i++) norm = Math.max(norm, Math.abs(e[i]!));
    if (norm === 0) continue;
    const scaleMax = Math.sqrt(1 / SAFE_MIN) / 3;
    const scaleMin = Math.sqrt(SAFE_MIN) / (EPS * EPS);
    const target = Math.min(scaleMax, Math.max(norm, scaleMin));
    if (target !== norm) {
      scaleRange(d, blockStart, end, norm, target);
      scaleRange(e, blockStart, end - 1, norm, target);
    }
    // Chase the bulge towards the end with the smaller diagonal entry: QL if that is the top.
    const converged =
      Math.abs(d[end]!) < Math.abs(d[blockStart]!)
        ? iterateQR(t, end, blockStart)
        : iterateQL(t, blockStart, end);
    if (target !== norm) {
      scaleRange(d, blockStart, end, target, norm);
      scaleRange(e, blockStart, end - 1, target, norm);
    }
    if (!converged || t.iterations >= t.maxIterations) {
      throw new Error("the symmetric eigenvalue iteration did not converge");
    }
  }
  sortAscending(t);
  return { values: t.d, vectors: t.z };
}

/**
 * The end of the unreduced block starting at `start`: the first off-diagonal entry that is zero
 * or negligible next to its diagonal neighbours (set to zero), else the last index.
 */
function blockEnd({ d, e }: Tridiagonal, start: number): number {
  const n = d.length;
  for (let m = start; m < n - 1; m++) {
    const size = Math.abs(e[m]!);
    if (size === 0) return m;
    if (size <= Math.sqrt(Math.abs(d[m]!)) * Math.sqrt(Math.abs(d[m + 1]!)) * EPS) {
      e[m] = 0;
      return m;
    }
  }
  return n - 1;
}

/** Whether e[k], between d[k] and d[k + 1], is negligible for the QL/QR deflation. */
function negligible({ d, e }: Tridiagonal, k: number): boolean {
  const size = Math.abs(e[k]!);
  return size * size <= EPS * EPS * Math.abs(d[k]!) * Math.abs(d[k + 1]!) + SAFE_MIN;
}

/** QL iteration on the block first..last, eigenvalues converging at the top (first). */
function iterateQL(t: Tridiagonal, first: number, last: number): boolean {
  const { e } = t;
  let l = first;
  while (l <= last) {
    let m = l;
    while (m < last && !negligible(t, m)) m++;
    if (m < last) e[m] = 0;
    if (m === l) {
      l += 1; // d[l] is an eigenvalue
    } else if (m === l + 1) {
      solve2x2(t, l, false);
      l += 2;
    } else {
      if (t.iterations === t.maxIterations) return false;
      t.iterations += 1;
      sweepQL(t, l, m);
    }
  }
  return true;
}

/** QR iteration on the block last..first (first > last), eigenvalues converging at the bottom. */
function iterateQR(t: Tridiagonal, first: number, last: number): boolean {
  const { e } = t;
  let l = first;
  while (l >= last) {
    let m = l;
    while (m > last && !negligible(t, m - 1)) m--;
    if (m > last) e[m - 1] = 0;
    if (m === l) {
      l -= 1;
    } else if (m === l - 1) {
      solve2x2(t, l - 1, true);
      l -= 2;
    } else {
      if (t.iterations === t.maxIterations) return false;
      t.iterations += 1;
      sweepQR(t, m, l);
    }
  }
  return true;
}

/** Diagonalizes the 2x2 block at k, k + 1 directly (dlaev2) and rotates its two columns of z. */
function solve2x2(t: Tridiagonal, k: number, forward: boolean): void {
  const { d, e } = t;
  const { rt1, rt2, cs, sn } = symmetric2x2(d[k]!, e[k]!, d[k + 1]!);
  rotateColumns(t.z, k, [cs], [sn], forward);
  d[k] = rt1;
  d[k + 1] = rt2;
  e[k] = 0;
}

/** The shifted diagonal entry that starts a sweep: Wilkinson's shift from the 2x2 at the end. */
function wilkinsonStart(p: number, next: number, offDiagonal: number, far: number): number {
  const g = (next - p) / (2 * offDiagonal);
  const r = hypotenuse(g, 1);
  return far - p + offDiagonal / (g + withSignOf(r, g));
}

/** One implicit QL sweep from the bottom (m) up to l, chasing the bulge with Givens rotations. */
function sweepQL(t: Tridiagonal, l: number, m: number): void {
  const { d, e } = t;
  let g = wilkinsonStart(d[l]!, d[l + 1]!, e[l]!, d[m]!);
  let s = 1;
  let c = 1;
  let p = 0;
  const cosines: number[] = [];
  const sines: number[] = [];
  for (let i = m - 1; i >= l; i--) {
    const f = s * e[i]!;
    const b = c * e[i]!;
    const rotation = givens(g, f);
    c = rotation.c;
    s = rotation.s;
    if (i !== m - 1) e[i + 1] = rotation.r;
    g = d[i + 1]! - p;
    const r = (d[i]! - g) * s + 2 * c * b;
    p = s * r;
    d[i + 1] = g + p;
    g = c * r - b;
    cosines[i - l] = c;
    sines[i - l] = -s;
  }
  rotateColumns(t.z, l, cosines, sines, false);
  d[l] = d[l]! - p;
  e[l] = g;
}

/** One implicit QR sweep from the top (m) down to l. */
function sweepQR(t: Tridiagonal, m: number, l: number): void {
  const { d, e } = t;
  let g = wilkinsonStart(d[l]!, d[l - 1]!, e[l - 1]!, d[m]!);
  let s = 1;
  let c = 1;
  let p = 0;
  const cosines: number[] = [];
  const sines: number[] = [];
  for (let i = m; i < l; i++) {
    const f = s * e[i]!;
    const b = c * e[i]!;
    const rotation = givens(g, f);
    c = rotation.c;
    s = rotation.s;
    if (i !== m) e[i - 1] = rotation.r;
    g = d[i]! - p;
    const r = (d[i + 1]! - g) * s + 2 * c * b;
    p = s * r;
    d[i] = g + p;
    g = c * r - b;
    cosines[i - m] = c;
    sines[i - m] = s;
  }
  rotateColumns(t.z, m, cosines, sines, true);
  d[l] = d[l]! - p;
  e[l - 1] = g;
}

/**
 * dlasr (SIDE='R', PIVOT='V'): applies the plane rotations (c[k], s[k]) to columns
 * first + k, first + k + 1 of z, in increasing k when `forward`, else decreasing.
 */
function rotateColumns(
  z: Matrix,
  first: number,
  cosines: number[],
  sines: number[],
  forward: boolean,
): void {
  const count = cosines.length;
  for (let step = 0; step < count; step++) {
    const k = forward ? step : count - 1 - step;
    const c = cosines[k]!;
    const s = sines[k]!;
    if (c === 1 && s === 0) continue;
    for (const row of z) {
      const right = row[first + k + 1]!;
      const left = row[first + k]!;
      row[first + k + 1] = c * right - s * left;
      row[first + k] = s * right + c * left;
    }
  }
}

/** Selection sort of the eigenvalues, ascending, swapping vector columns (fewest swaps). */
function sortAscending({ d, z }: Tridiagonal): void {
  const n = d.length;
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      for (const row of z) [row[i], row[k]] = [row[k]!, row[i]!];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Step 3: back-transformation (dormtr -> dorm2r -> dlarf), z := Q·z

/**
 * Applies the reflectors left by the reduction to z, last one first, each to rows i+1.. of z.
 * Like dlarf it skips trailing zeros of v and trailing all-zero columns of the block.
 */
function applyReflectors(a: Matrix, tau: number[], z: Matrix): void {
  const n = z.length;
  for (let i = n - 2; i >= 0; i--) {
    const t = tau[i]!;
    if (t === 0) continue;
    const v = [1];
    for (let r = i + 2; r < n; r++) v.push(a[r]![i]!);
    while (v[v.length - 1] === 0) v.pop();
    const rows = v.map((_, k) => i + 1 + k);
    const columns = lastNonzeroColumn(z, rows);
    // w = zᵀ·v over the block, then z -= tau·v·wᵀ (dgemv then dger).
    for (let j = 0; j < columns; j++) {
      const scale = -t * columnDot(z, rows, j, v);
      rows.forEach((row, k) => {
        z[row]![j] = fusedMultiplyAdd(scale, v[k]!, z[row]![j]!);
      });
    }
  }
}

/** iladlc: how many leading columns of z (restricted to `rows`) reach its last non-zero column. */
function lastNonzeroColumn(z: Matrix, rows: number[]): number {
  const n = z[0]!.length;
  for (let j = n - 1; j >= 0; j--) {
    if (rows.some((row) => z[row]![j] !== 0)) return j + 1;
  }
  return 0;
}
