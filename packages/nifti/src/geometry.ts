import { NiftiError } from "./errors.js";
import * as ext from "./extended.js";
import { type NiftiHeader, updateHeader } from "./header.js";
import { symmetricEigenLapack } from "./lapack-eigh.js";
import { polarFactorLapack } from "./lapack-svd.js";
import { determinant3, type Matrix, orthogonalFactor } from "./linear-algebra.js";

/** A 4x4 affine as four rows, voxel (i, j, k, 1) -> world (x, y, z, 1). */
export type Affine = number[][];

type GeometryFields = Pick<
  NiftiHeader,
  | "version"
  | "dim"
  | "pixdim"
  | "qformCode"
  | "sformCode"
  | "quaternB"
  | "quaternC"
  | "quaternD"
  | "qoffsetX"
  | "qoffsetY"
  | "qoffsetZ"
  | "srowX"
  | "srowY"
  | "srowZ"
>;

const FLOAT64_EPS = 2 ** -52;

function geometryError(message: string): NiftiError {
  return new NiftiError("E_NIFTI_GEOMETRY", message);
}

/**
 * The quaternion (w, b, c, d) of the qform, with w filled in as nibabel's `fillpositive` does:
 * in extended precision, `w = 0` when `b²+c²+d²` exceeds 1 by less than 3 eps of the stored
 * float type, an error beyond that.
 */
function qformQuaternion(header: GeometryFields): ext.Extended[] {
  if (![header.quaternB, header.quaternC, header.quaternD].every(Number.isFinite)) {
    throw geometryError("the qform quaternion holds an infinite value");
  }
  const xyz = [header.quaternB, header.quaternC, header.quaternD].map(ext.fromNumber);
  let dot = ext.fromNumber(0);
  for (const value of xyz) dot = ext.add(dot, ext.mul(value, value));
  const w2 = ext.sub(ext.fromNumber(1), dot);
  const threshold = -(header.version === 1 ? 2 ** -23 : FLOAT64_EPS) * 3;
  let w = ext.fromNumber(0);
  if (w2.m < 0n) {
    if (ext.less(w2, ext.fromNumber(threshold))) {
      throw geometryError(
        `quaternion (b, c, d) = (${header.quaternB}, ${header.quaternC}, ${header.quaternD}) is longer than 1`,
      );
    }
  } else {
    w = ext.sqrt(w2);
  }
  return [w, ...xyz];
}

/** nibabel's `quat2mat`, operation for operation in extended precision. */
function quaternionMatrix(q: ext.Extended[]): ext.Extended[][] | undefined {
  const [w, x, y, z] = q as [ext.Extended, ext.Extended, ext.Extended, ext.Extended];
  const { add, sub, mul } = ext;
  const nq = add(add(add(mul(w, w), mul(x, x)), mul(y, y)), mul(z, z));
  if (ext.less(nq, ext.fromNumber(FLOAT64_EPS))) return undefined;
  const s = ext.div(ext.fromNumber(2), nq);
  const X = mul(x, s);
  const Y = mul(y, s);
  const Z = mul(z, s);
  const [wX, wY, wZ] = [mul(w, X), mul(w, Y), mul(w, Z)];
  const [xX, xY, xZ] = [mul(x, X), mul(x, Y), mul(x, Z)];
  const [yY, yZ, zZ] = [mul(y, Y), mul(y, Z), mul(z, Z)];
  const one = ext.fromNumber(1);
  return [
    [sub(one, add(yY, zZ)), sub(xY, wZ), add(xZ, wY)],
    [add(xY, wZ), sub(one, add(xX, zZ)), sub(yZ, wX)],
    [sub(xZ, wY), add(yZ, wX), sub(one, add(xX, yY))],
  ];
}

/**
 * The qform affine, bit for bit as nibabel's `header.get_qform()` computes it (also when
 * `qform_code` is 0). Throws `E_NIFTI_GEOMETRY` where nibabel raises: negative voxel sizes, a
 * qfac (`pixdim[0]`) other than 1 or -1, a quaternion longer than 1.
 */
export function qformAffine(header: GeometryFields): Affine {
  const quaternion = [header.quaternB, header.quaternC, header.quaternD];
  // nibabel lets NaN through (the rotation becomes NaN) and refuses infinities.
  const rotation = quaternion.some(Number.isNaN)
    ? undefined
    : quaternionMatrix(qformQuaternion(header));
  const nanRotation = rotation === undefined && quaternion.some(Number.isNaN);
  const vox = header.pixdim.slice(1, 4) as [number, number, number];
  if (vox.some((size) => size < 0)) throw geometryError("pixdim[1..3] must not be negative");
  const qfac = header.pixdim[0];
  if (qfac !== 1 && qfac !== -1) {
    throw geometryError(`qfac (pixdim[0]) is ${qfac}; it must be 1 or -1`);
  }
  vox[2] *= qfac;
  const offsets = [header.qoffsetX, header.qoffsetY, header.qoffsetZ];
  const out: Affine = [];
  for (let i = 0; i < 3; i++) {
    const row: number[] = [];
    for (let j = 0; j < 3; j++) {
      const size = vox[j] as number;
      if (nanRotation || !Number.isFinite(size)) {
        row.push(Number.NaN);
        continue;
      }
      const r = rotation === undefined ? ext.fromNumber(i === j ? 1 : 0) : rotation[i]![j]!;
      // np.dot(R, diag(vox)) sums from +0, so zero products come out as +0.
      row.push(ext.toNumber(ext.mul(r, ext.fromNumber(size))) + 0);
    }
    row.push(offsets[i] as number);
    out.push(row);
  }
  out.push([0, 0, 0, 1]);
  return out;
}

/** The sform affine (`srow_x`, `srow_y`, `srow_z`), as nibabel's `get_sform()`. */
export function sformAffine(header: Pick<NiftiHeader, "srowX" | "srowY" | "srowZ">): Affine {
  return [[...header.srowX], [...header.srowY], [...header.srowZ], [0, 0, 0, 1]];
}

/**
 * The affine nibabel's `img.affine` / `header.get_best_affine()` gives: the sform when
 * `sform_code` is set, else the qform when `qform_code` is set, else the Analyze-style base
 * affine (voxel sizes, x flipped, origin at the centre of the volume).
 */
export function bestAffine(header: GeometryFields): Affine {
  if (header.sformCode !== 0) return sformAffine(header);
  if (header.qformCode !== 0) return qformAffine(header);
  return baseAffine(header);
}

/** nibabel's `get_base_affine()` (`shape_zoom_affine` with the x axis flipped). */
export function baseAffine(header: Pick<NiftiHeader, "dim" | "pixdim">): Affine {
  const ndim = header.dim[0] as number;
  const shape = [1, 1, 1];
  const zooms = [1, 1, 1];
  for (let i = 0; i < Math.min(ndim, 3); i++) {
    shape[i] = header.dim[i + 1] as number;
    zooms[i] = header.pixdim[i + 1] as number;
  }
  zooms[0] = -(zooms[0] as number);
  const out: Affine = [];
  for (let i = 0; i < 3; i++) {
    const row = [0, 0, 0, -(((shape[i] as number) - 1) / 2) * (zooms[i] as number)];
    row[i] = zooms[i] as number;
    out.push(row);
  }
  out.push([0, 0, 0, 1]);
  return out;
}

/** Voxel sizes of every data axis (`pixdim[1..dim[0]]`), as nibabel's `get_zooms()`. */
export function voxelSizes(header: Pick<NiftiHeader, "dim" | "pixdim">): number[] {
  return header.pixdim.slice(1, (header.dim[0] as number) + 1);
}

function checkAffine(affine: Affine): void {
  if (
    affine.length !== 4 ||
    affine.some((row) => row.length !== 4 || row.some((value) => !Number.isFinite(value)))
  ) {
    throw geometryError("an affine must be 4x4 finite numbers");
  }
}

/** Rounds a value to what the header version stores (float32 in NIfTI-1). */
function stored(version: 1 | 2, value: number): number {
  return version === 1 ? Math.fround(value) : value;
}

/** nibabel's `mat2quat`: the unit quaternion (w, x, y, z) of a rotation, with w >= 0. */
function rotationQuaternion(m: Matrix): number[] {
  type Row = [number, number, number];
  const [[qxx, qyx, qzx], [qxy, qyy, qzy], [qxz, qyz, qzz]] = m as [Row, Row, Row];
  const k: Matrix = [
    [qxx - qyy - qzz, qyx + qxy, qzx + qxz, qyz - qzy],
    [qyx + qxy, qyy - qxx - qzz, qzy + qyz, qzx - qxz],
    [qzx + qxz, qzy + qyz, qzz - qxx - qyy, qxy - qyx],
    [qyz - qzy, qzx - qxz, qxy - qyx, qxx + qyy + qzz],
  ].map((row) => row.map((value) => value / 3));
  const { values, vectors } = symmetricEigenLapack(k);
  let best = 0;
  for (let i = 1; i < 4; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  const column = vectors.map((row) => row[best] as number);
  let q = [column[3], column[0], column[1], column[2]] as number[];
  if ((q[0] as number) < 0) q = q.map((value) => -value);
  return q;
}

/**
 * A header whose qform holds `affine` as nibabel's `set_qform(affine, code)` stores it: voxel
 * sizes are the column lengths, qfac makes the rotation proper, shears are dropped (the closest
 * rotation is kept) and the quaternion is stored with w >= 0. `code` defaults as in nibabel:
 * the current code, or 2 (aligned) when it is 0.
 */
export function setQform(header: NiftiHeader, affine: Affine, code?: number): NiftiHeader {
  checkAffine(affine);
  const rzs = affine.slice(0, 3).map((row) => row.slice(0, 3));
  const zooms = [0, 1, 2].map((j) => {
    const a = rzs[0]![j] as number;
    const b = rzs[1]![j] as number;
    const c = rzs[2]![j] as number;
    return Math.sqrt(a * a + b * b + c * c);
  });
  if (zooms.some((zoom) => zoom === 0)) {
    throw geometryError("the affine has a zero column; it maps a voxel axis to nothing");
  }
  const r = rzs.map((row) => row.map((value, j) => value / (zooms[j] as number)));
  let qfac = 1;
  if (!(determinant3(r) > 0)) {
    qfac = -1;
    for (const row of r) row[2] = -(row[2] as number);
  }
  const [, b, c, d] = rotationQuaternion(polarFactorLapack(r)) as [number, number, number, number];
  const v = header.version;
  const pixdim = [...header.pixdim];
  pixdim[0] = qfac;
  for (let i = 0; i < 3; i++) pixdim[i + 1] = stored(v, zooms[i] as number);
  return updateHeader(header, {
    qformCode: code ?? (header.qformCode === 0 ? 2 : header.qformCode),
    quaternB: stored(v, b),
    quaternC: stored(v, c),
    quaternD: stored(v, d),
    qoffsetX: stored(v, affine[0]![3] as number),
    qoffsetY: stored(v, affine[1]![3] as number),
    qoffsetZ: stored(v, affine[2]![3] as number),
    pixdim,
  });
}

/** A header whose sform rows are the first three rows of `affine` (nibabel `set_sform`). */
export function setSform(header: NiftiHeader, affine: Affine, code?: number): NiftiHeader {
  checkAffine(affine);
  const v = header.version;
  const row = (i: number) => (affine[i] as number[]).map((value) => stored(v, value));
  return updateHeader(header, {
    sformCode: code ?? (header.sformCode === 0 ? 2 : header.sformCode),
    srowX: row(0),
    srowY: row(1),
    srowZ: row(2),
  });
}

/**
 * For each voxel axis, the world axis it points along most and the direction: nibabel's
 * `io_orientation`. Rows are `[worldAxis, 1 | -1]`, or `[NaN, NaN]` for an axis that maps to
 * nothing.
 */
export function ioOrientation(affine: Affine): [number, number][] {
  checkAffine(affine);
  const rzs = affine.slice(0, 3).map((row) => row.slice(0, 3));
  const zooms = [0, 1, 2].map((j) => {
    const norm = Math.sqrt(rzs.reduce((sum, row) => sum + (row[j] as number) ** 2, 0));
    return norm === 0 ? 1 : norm;
  });
  const r = orthogonalFactor(rzs.map((row) => row.map((value, j) => value / (zooms[j] as number))));
  const out: [number, number][] = [];
  for (let axis = 0; axis < 3; axis++) {
    const column = r.map((row) => row[axis] as number);
    if (column.every((value) => Math.abs(value) <= 1e-8)) {
      out.push([Number.NaN, Number.NaN]);
      continue;
    }
    let world = 0;
    for (let i = 1; i < 3; i++) {
      if (Math.abs(column[i] as number) > Math.abs(column[world] as number)) world = i;
    }
    out.push([world, (column[world] as number) < 0 ? -1 : 1]);
    (r[world] as number[]).fill(0);
  }
  return out;
}

/** Axis labels, negative direction first: nibabel's default `(('L','R'),('P','A'),('I','S'))`. */
export const RAS_LABELS: readonly (readonly [string, string])[] = [
  ["L", "R"],
  ["P", "A"],
  ["I", "S"],
];

/**
 * The direction each voxel axis points to, like nibabel's `aff2axcodes` (`['L','P','S']` means
 * i grows to the left, j to posterior, k to superior). `null` for an axis that maps to nothing.
 */
export function axcodes(
  affine: Affine,
  labels: readonly (readonly [string, string])[] = RAS_LABELS,
): (string | null)[] {
  return ioOrientation(affine).map(([world, direction]) =>
    Number.isNaN(world) ? null : (labels[world]![direction === -1 ? 0 : 1] as string),
  );
}

/**
 * The staging header fix of RADIFOX (`fix_sform_qform`): the qform takes the sform (its
 * rigid + zoom part, code 2 "aligned"), then the sform takes that qform (code 1 "scanner"), so
 * both describe the same affine. Same steps and rounding as nibabel's
 * `set_qform(get_sform(), code=2); set_sform(get_qform(), code=1)`.
 */
export function alignQformToSform(header: NiftiHeader): NiftiHeader {
  const withQform = setQform(header, sformAffine(header), 2);
  return setSform(withQform, qformAffine(withQform), 1);
}
