// Colour look-up tables for label overlays: the original's three (data from radifox v2.2.0
// `radifox/records/qa.py`) and user tables.
import { QaError } from "./errors.js";

export type Rgb = readonly [number, number, number];
export type LutName = "binary" | "brain_color" | "colorblind";
/** A table: label -> colour (labels 1..255; unlisted labels are black), or 256 rows of RGB. */
export type LutTable = Readonly<Record<number, Rgb>> | ArrayLike<ArrayLike<number>>;

const freezeLut = (entries: Record<number, Rgb>): Readonly<Record<number, Rgb>> => {
  for (const colour of Object.values(entries)) Object.freeze(colour);
  return Object.freeze(entries);
};

/** The original's named tables. */
export const LUTS: Readonly<Record<LutName, Readonly<Record<number, Rgb>>>> = Object.freeze({
  binary: freezeLut({ 1: [255, 0, 0] }),
  colorblind: freezeLut({
    1: [229, 159, 1],
    2: [86, 180, 232],
    3: [0, 159, 115],
    4: [240, 228, 55],
    5: [0, 114, 177],
    6: [213, 94, 0],
    7: [204, 121, 167],
    8: [160, 111, 1],
    9: [60, 126, 162],
    10: [0, 111, 81],
    11: [168, 160, 46],
    12: [0, 80, 124],
    13: [149, 66, 0],
    14: [143, 85, 117],
  }),
  brain_color: freezeLut({
    4: [0, 15, 247],
    11: [255, 245, 9],
    23: [178, 178, 22],
    30: [255, 255, 98],
    31: [131, 178, 46],
    32: [208, 255, 123],
    35: [255, 9, 245],
    36: [178, 178, 126],
    37: [255, 255, 203],
    38: [178, 96, 81],
    39: [255, 173, 158],
    40: [178, 142, 36],
    41: [255, 218, 112],
    44: [89, 89, 89],
    45: [165, 165, 165],
    47: [146, 178, 32],
    48: [222, 255, 108],
    49: [0, 61, 147],
    50: [76, 137, 224],
    51: [0, 139, 108],
    52: [76, 215, 185],
    53: [190, 0, 0],
    54: [255, 0, 0],
    55: [178, 54, 0],
    56: [255, 131, 76],
    57: [178, 124, 0],
    58: [255, 200, 76],
    59: [173, 0, 0],
    60: [250, 76, 76],
    61: [37, 0, 0],
    62: [113, 76, 76],
    71: [255, 34, 221],
    72: [255, 62, 192],
    73: [255, 91, 163],
    75: [188, 76, 76],
    76: [111, 0, 0],
    100: [102, 178, 75],
    101: [179, 255, 152],
    102: [106, 0, 0],
    103: [182, 76, 76],
    104: [0, 129, 178],
    105: [76, 206, 255],
    106: [34, 178, 143],
    107: [111, 255, 220],
    108: [174, 178, 4],
    109: [250, 255, 80],
    112: [178, 31, 0],
    113: [255, 107, 76],
    114: [178, 155, 0],
    115: [255, 231, 76],
    116: [151, 0, 0],
    117: [227, 76, 76],
    118: [0, 68, 178],
    119: [76, 144, 255],
    120: [0, 0, 170],
    121: [76, 76, 246],
    122: [135, 0, 0],
    123: [212, 76, 76],
    124: [0, 0, 112],
    125: [76, 76, 188],
    128: [178, 141, 0],
    129: [255, 218, 76],
    132: [166, 0, 0],
    133: [243, 76, 76],
    134: [178, 168, 0],
    135: [255, 245, 76],
    136: [0, 143, 178],
    137: [76, 220, 255],
    138: [89, 178, 89],
    139: [165, 255, 165],
    140: [0, 0, 97],
    141: [76, 76, 173],
    142: [0, 3, 178],
    143: [76, 79, 255],
    144: [178, 100, 0],
    145: [255, 176, 76],
    146: [0, 115, 178],
    147: [76, 192, 255],
    148: [0, 168, 178],
    149: [76, 245, 255],
    150: [0, 15, 178],
    151: [76, 92, 255],
    152: [0, 0, 127],
    153: [76, 76, 204],
    154: [178, 89, 0],
    155: [255, 165, 76],
    156: [160, 178, 17],
    157: [237, 255, 94],
    160: [178, 127, 0],
    161: [255, 204, 76],
    162: [0, 85, 178],
    163: [76, 162, 255],
    164: [0, 42, 178],
    165: [76, 119, 255],
    166: [76, 178, 101],
    167: [153, 255, 178],
    168: [0, 155, 178],
    169: [76, 232, 255],
    170: [119, 0, 0],
    171: [196, 76, 76],
    172: [94, 0, 0],
    173: [171, 76, 76],
    174: [63, 178, 115],
    175: [139, 255, 191],
    176: [48, 178, 129],
    177: [125, 255, 206],
    178: [0, 101, 178],
    179: [76, 178, 255],
    180: [178, 66, 0],
    181: [255, 142, 76],
    182: [0, 30, 178],
    183: [76, 107, 255],
    184: [178, 14, 0],
    185: [255, 90, 76],
    186: [117, 178, 61],
    187: [193, 255, 137],
    190: [0, 0, 157],
    191: [76, 76, 233],
    192: [0, 0, 143],
    193: [76, 76, 219],
    194: [20, 178, 158],
    195: [96, 255, 234],
    196: [178, 114, 0],
    197: [255, 190, 76],
    198: [5, 178, 173],
    199: [81, 255, 249],
    200: [178, 79, 0],
    201: [255, 156, 76],
    202: [178, 1, 0],
    203: [255, 77, 76],
    204: [0, 53, 178],
    205: [76, 130, 255],
    206: [178, 48, 0],
    207: [255, 125, 76],
  }),
});

/**
 * A table as 256 x 3 float64 values (row = label), built as the original builds its table:
 * zeros, then the listed colours. Names other than the three of {@link LUTS} and malformed
 * tables are an `E_QA_LUT` error.
 */
export function lutTable(lut: LutName | LutTable): Float64Array {
  const table = new Float64Array(256 * 3);
  const put = (label: number, colour: unknown) => {
    if (!Number.isInteger(label) || label < 0 || label > 255) {
      throw new QaError("E_QA_LUT", `look-up table label ${label} is not an integer in 0..255`);
    }
    const rgb = colour as ArrayLike<unknown> | null;
    if (
      rgb === null ||
      typeof rgb !== "object" ||
      rgb.length !== 3 ||
      !Array.from(rgb).every((c) => typeof c === "number" && Number.isFinite(c))
    ) {
      throw new QaError("E_QA_LUT", `look-up table colour of label ${label} is not 3 numbers`);
    }
    for (let c = 0; c < 3; c++) table[label * 3 + c] = rgb[c] as number;
  };
  if (typeof lut === "string") {
    const named = Object.hasOwn(LUTS, lut) ? LUTS[lut] : undefined;
    if (named === undefined) {
      throw new QaError(
        "E_QA_LUT",
        `unknown look-up table "${lut}" (known: ${Object.keys(LUTS).join(", ")})`,
      );
    }
    for (const [label, colour] of Object.entries(named)) put(Number(label), colour);
    return table;
  }
  if (lut === null || typeof lut !== "object") {
    throw new QaError("E_QA_LUT", "a look-up table is a name, a label -> colour map or 256 rows");
  }
  if ("length" in lut && typeof lut.length === "number") {
    const rows = lut as ArrayLike<ArrayLike<number>>;
    if (rows.length > 256) {
      throw new QaError("E_QA_LUT", `a look-up table has at most 256 rows, got ${rows.length}`);
    }
    for (let label = 0; label < rows.length; label++) put(label, rows[label]);
    return table;
  }
  for (const [label, colour] of Object.entries(lut)) put(Number(label), colour);
  return table;
}
