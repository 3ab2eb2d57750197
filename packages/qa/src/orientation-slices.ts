// Which slices a QA montage shows and how each is turned for display (RADIFOX's `Reslicer`):
// planes axial, sagittal, coronal; the slice counted from inferior, patient right and anterior;
// in-plane axes flipped toward (L, P), (P, I) and (L, I).
import { QaError } from "./errors.js";
import { roundHalfEven } from "./numpy.js";

export type PlaneName = "axial" | "sagittal" | "coronal";

/** The planes in montage order (top to bottom). */
export const PLANES: readonly PlaneName[] = Object.freeze(["axial", "sagittal", "coronal"]);

/** The original's default slice fractions, for every plane. */
export const DEFAULT_FRACTIONS: readonly number[] = Object.freeze([
  0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7,
]);

/** Slice fractions: one list for all planes, or one per plane (missing planes: the default). */
export type Fractions =
  | readonly number[]
  | {
      readonly axial?: readonly number[];
      readonly sagittal?: readonly number[];
      readonly coronal?: readonly number[];
    };

const SLICE_DIRECTION: Record<PlaneName, string> = { axial: "S", sagittal: "L", coronal: "P" };
const IN_PLANE: Record<PlaneName, readonly [readonly string[], readonly string[]]> = {
  axial: [
    ["L", "P"],
    ["R", "A"],
  ],
  sagittal: [
    ["P", "I"],
    ["A", "S"],
  ],
  coronal: [
    ["L", "I"],
    ["R", "S"],
  ],
};
const FLIP: Record<string, string> = { L: "R", R: "L", P: "A", A: "P", I: "S", S: "I" };

/** How one plane of the montage is cut from the (resampled) volume. */
export interface PlanePlan {
  readonly plane: PlaneName;
  /** The array axis the slices are taken along. */
  readonly sliceAxis: number;
  /** Its size. */
  readonly nSlices: number;
  /** `numpy.around(fraction * nSlices)` for each fraction. */
  readonly sliceNums: number[];
  /** The index along `sliceAxis` of each slice (`sliceNums` counted from the other end when the
   *  axis points away from S, L or P). */
  readonly arrayIndex: number[];
  /** The array axis shown along the displayed columns, and whether it is shown reversed. */
  readonly colAxis: number;
  readonly colReversed: boolean;
  /** The array axis shown along the displayed rows, and whether it is shown reversed. */
  readonly rowAxis: number;
  readonly rowReversed: boolean;
  /** Displayed rows x columns of a slice before padding. */
  readonly tileShape: [number, number];
}

/** The fraction list of each plane, checked. */
export function planeFractions(fractions: Fractions | undefined): Record<PlaneName, number[]> {
  const pick = (plane: PlaneName): readonly number[] => {
    if (fractions === undefined) return DEFAULT_FRACTIONS;
    if (Array.isArray(fractions)) return fractions as readonly number[];
    return (
      (fractions as Record<PlaneName, readonly number[] | undefined>)[plane] ?? DEFAULT_FRACTIONS
    );
  };
  const out = {} as Record<PlaneName, number[]>;
  for (const plane of PLANES) {
    const list = pick(plane);
    if (!Array.isArray(list) || list.length === 0) {
      throw new QaError("E_QA_FRACTION", `the ${plane} slice fractions must be a non-empty list`);
    }
    for (const value of list) {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new QaError(
          "E_QA_FRACTION",
          `${plane} slice fraction ${String(value)} is not a finite number`,
        );
      }
    }
    out[plane] = [...list];
  }
  return out;
}

/** Checks `nib.aff2axcodes` output: one of L/R, one of A/P, one of I/S. */
export function checkOrientation(orientation: readonly (string | null)[]): string[] {
  const ok =
    orientation.length === 3 &&
    ["LR", "PA", "IS"].every(
      (pair) =>
        orientation.filter((code) => code !== null && pair.includes(code) && code.length === 1)
          .length === 1,
    );
  if (!ok) {
    throw new QaError(
      "E_QA_ORIENTATION",
      `orientation (${orientation.map(String).join(", ")}) does not name one L/R, one A/P and one I/S axis`,
    );
  }
  return orientation as string[];
}

/**
 * The slices of each plane for a volume of `shape` (the resampled one) whose axes point toward
 * `orientation` (`aff2axcodes` of the original image), in the order axial, sagittal, coronal.
 */
export function slicePlan(
  shape: readonly number[],
  orientation: readonly (string | null)[],
  fractions?: Fractions,
): PlanePlan[] {
  const codes = checkOrientation(orientation);
  if (shape.length !== 3) {
    throw new QaError("E_QA_DIMS", `a 3-D shape is needed, got [${shape.join(", ")}]`);
  }
  const lists = planeFractions(fractions);
  return PLANES.map((plane) => {
    const direction = SLICE_DIRECTION[plane];
    const [forward, backward] = IN_PLANE[plane];
    const found = codes.indexOf(direction);
    const sliceAxis = found >= 0 ? found : codes.indexOf(FLIP[direction] as string);
    const nSlices = shape[sliceAxis] as number;
    const sliceNums = lists[plane].map((fraction) => roundHalfEven(fraction * nSlices) + 0); // + 0: no -0
    const arrayIndex = sliceNums.map((num) =>
      codes[sliceAxis] === direction ? num : nSlices - num - 1,
    );
    arrayIndex.forEach((index, i) => {
      if (!(index >= 0 && index < nSlices)) {
        throw new QaError(
          "E_QA_FRACTION",
          `${plane} slice fraction ${lists[plane][i]} selects slice ${sliceNums[i]} of ${nSlices}`,
        );
      }
    });
    // The in-plane axes in array order, each flipped toward the plane's first pair.
    const kept: { axis: number; reversed: boolean; dir: string }[] = [];
    codes.forEach((code, axis) => {
      if (forward.includes(code)) kept.push({ axis, reversed: false, dir: code });
      else if (backward.includes(code))
        kept.push({ axis, reversed: true, dir: FLIP[code] as string });
    });
    const [first, second] = kept as [(typeof kept)[0], (typeof kept)[0]];
    const asIs = first.dir === forward[0] && second.dir === forward[1];
    // Tile axis 0 becomes the displayed columns after the final transpose.
    const col = asIs ? first : second;
    const row = asIs ? second : first;
    return {
      plane,
      sliceAxis,
      nSlices,
      sliceNums,
      arrayIndex,
      colAxis: col.axis,
      colReversed: col.reversed,
      rowAxis: row.axis,
      rowReversed: row.reversed,
      tileShape: [shape[row.axis] as number, shape[col.axis] as number],
    };
  });
}
