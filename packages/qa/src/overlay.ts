// Label overlays on the grey montage.
import { QaError } from "./errors.js";
import { type LutName, type LutTable, lutTable } from "./luts.js";
import { castToUint8 } from "./numpy.js";

/**
 * `labelled` (default): only pixels with a label are blended, the others keep their grey value.
 * `all`: the original's blend of every pixel, which dims unlabelled pixels to 60 %.
 */
export type BlendMode = "labelled" | "all";

/**
 * RGB pixels (interleaved) of a grey image with labels drawn on it: colour = `lut[label]` for
 * labels > 0, black otherwise, and `uint8(colour * alpha + grey * (1 - alpha))` in float64 with
 * truncation (numpy's cast for values outside 0..255) where the mode blends.
 */
export function blendOverlay(
  grey: Uint8Array,
  labels: Uint8Array,
  lut: LutName | LutTable | Float64Array = "binary",
  alpha = 0.4,
  mode: BlendMode = "labelled",
): Uint8Array {
  if (labels.length !== grey.length) {
    throw new QaError(
      "E_QA_OVERLAY",
      `the overlay has ${labels.length} pixels, the image ${grey.length}`,
    );
  }
  if (typeof alpha !== "number" || !Number.isFinite(alpha)) {
    throw new QaError("E_QA_OPTION", `alpha must be a finite number, got ${String(alpha)}`);
  }
  if (mode !== "labelled" && mode !== "all") {
    throw new QaError("E_QA_OPTION", `blend must be "labelled" or "all", got ${String(mode)}`);
  }
  const colours =
    lut instanceof Float64Array && lut.length === 768 ? lut : lutTable(lut as LutTable);
  const beta = 1 - alpha;
  // Every result is one of 256 labels x 256 grey levels x 3 channels: a table, filled for the
  // labels that occur. Row 0 is the grey level itself when only labelled pixels are blended.
  const table = new Uint8Array(256 * 256 * 3);
  const filled = new Uint8Array(256);
  const fill = (label: number) => {
    filled[label] = 1;
    for (let g = 0; g < 256; g++) {
      const at = (label * 256 + g) * 3;
      for (let c = 0; c < 3; c++) {
        if (label === 0 && mode === "labelled") table[at + c] = g;
        else {
          const colour = label > 0 ? (colours[label * 3 + c] as number) : 0;
          table[at + c] = castToUint8(colour * alpha + g * beta);
        }
      }
    }
  };
  const out = new Uint8Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) {
    const label = labels[i] as number;
    if (filled[label] === 0) fill(label);
    const at = (label * 256 + (grey[i] as number)) * 3;
    const o = i * 3;
    out[o] = table[at] as number;
    out[o + 1] = table[at + 1] as number;
    out[o + 2] = table[at + 2] as number;
  }
  return out;
}
