/** Small dense matrices (3x3, 4x4) as row arrays: the few operations the geometry needs. */

export type Matrix = number[][];

export function identity(n: number): Matrix {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
}

export function transpose(a: Matrix): Matrix {
  return (a[0] ?? []).map((_, j) => a.map((row) => row[j] as number));
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  return a.map((row) =>
    (b[0] ?? []).map((_, j) =>
      row.reduce((sum, value, k) => sum + value * (b[k]?.[j] as number), 0),
    ),
  );
}

export function determinant3(m: Matrix): number {
  const [a, b, c] = m as [number[], number[], number[]];
  return (
    a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) -
    a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) +
    a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!)
  );
}

/**
 * Eigenvalues and unit eigenvectors (columns of `vectors`) of a symmetric matrix, by cyclic
 * Jacobi rotations: small, robust and accurate to a few ulps, which is all a float32 header
 * field can hold.
 */
function symmetricEigen(input: Matrix): { values: number[]; vectors: Matrix } {
  const n = input.length;
  const a = input.map((row) => [...row]);
  const v = identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off === 0 || off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i] as number), vectors: v };
}

/**
 * The orthogonal factor of `m` (3 columns) restricted to the singular directions above `tol`:
 * `sum_k (m v_k)(v_k)^T / s_k`. For a full-rank matrix this is the polar decomposition's
 * rotation, the closest orthogonal matrix (what nibabel computes as `P @ Qs` from an SVD).
 */
export function orthogonalFactor(m: Matrix, tol?: number): Matrix {
  const { values, vectors } = symmetricEigen(multiply(transpose(m), m));
  const singular = values.map((value) => Math.sqrt(Math.max(value, 0)));
  const threshold = tol ?? Math.max(...singular) * m.length * Number.EPSILON;
  const rows = m.length;
  const cols = m[0]?.length ?? 0;
  const out: Matrix = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  singular.forEach((s, k) => {
    if (!(s > threshold)) return;
    const vk = vectors.map((row) => row[k] as number);
    const mv = m.map((row) => row.reduce((sum, value, j) => sum + value * (vk[j] as number), 0));
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[i]![j]! += ((mv[i] as number) * (vk[j] as number)) / s;
    }
  });
  return out;
}
