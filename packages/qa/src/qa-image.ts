// create_qa_image: a NIfTI volume (and optionally a label overlay) -> a 3 x k montage PNG.

import type { NiftiImage } from "@radifox/nifti";
import { writeFileAtomic } from "./atomic-write.js";
import { QaError } from "./errors.js";
import { gridExtremes, gridMinimum, type NumericArray } from "./grid-scan.js";
import {
  castIntegerMontage,
  type IntegerArray,
  type ScaledImage,
  scaleIntegerMontage,
  scaleToUint8,
  tableFits,
} from "./intensity.js";
import { type LutName, type LutTable, lutTable } from "./luts.js";
import { gatherMontage, montageLayout } from "./montage.js";
import { castToUint8 } from "./numpy.js";
import { type Fractions, type PlanePlan, slicePlan } from "./orientation-slices.js";
import { type BlendMode, blendOverlay } from "./overlay.js";
import { encodePng, type PngMode } from "./png.js";
import { resampleGrid } from "./resample.js";
import { applyScaling, reversesOrder, scaleValue } from "./scaling.js";
import { type QaVolume, qaVolume, readQaVolume } from "./volume.js";

export interface QaImageOptions {
  /** A label image drawn over the montage (NIfTI). GIfTI surfaces are not supported. */
  readonly overlay?: string;
  /** Colours of the overlay labels: a name of {@link LUTS} or a table. Default "binary". */
  readonly lut?: LutName | LutTable;
  /** Slice fractions, for all planes or per plane. Default 0.30, 0.35, ..., 0.70. */
  readonly fractions?: Fractions;
  /** Overlay opacity. Default 0.4. */
  readonly alpha?: number;
  /** Which pixels the overlay is blended into. Default "labelled"; "all" = the original. */
  readonly blend?: BlendMode;
  /** zlib level of the PNG (0..9). Default 1. */
  readonly pngLevel?: number;
  /** Flush the PNG to disk before it replaces `output`. Default false. */
  readonly durable?: boolean;
  readonly signal?: AbortSignal;
}

/** What a montage was made of (the image's; the overlay's in `overlay`). */
export interface MontageInfo {
  /** `nib.aff2axcodes(img.affine)` of the image, e.g. ["L", "P", "S"]. */
  readonly orientation: string[];
  /** Header voxel sizes of the 3-D volume used. */
  readonly zooms: number[];
  /** Shape of the 3-D volume used (volume 0 of a 4-D image). */
  readonly shape: number[];
  /** Shape of the 1 mm grid. */
  readonly resampledShape: number[];
  /** Per axis: the source voxel index of each 1 mm position. */
  readonly samples: number[][];
  /** M: every slice is padded to M x M. */
  readonly tileSize: number;
  /** The padding value: the minimum of the 1 mm volume. */
  readonly bgValue: number;
  /** The slices of each plane, in montage order. */
  readonly planes: PlanePlan[];
}

export interface QaImageInfo extends MontageInfo {
  readonly width: number;
  readonly height: number;
  readonly mode: PngMode;
  /** The minimum of the montage (subtracted before scaling). */
  readonly montageMin: number;
  /** The 99.9th percentile of the montage after subtracting its minimum. */
  readonly percentile999: number;
  readonly overlay?: MontageInfo;
}

/** A rendered QA image in memory. */
export interface QaRender {
  /** `height x width` pixels, row-major; RGB interleaved with an overlay. */
  readonly pixels: Uint8Array;
  /** The overlay montage cast to uint8 (one label per pixel), when there is an overlay. */
  readonly labels?: Uint8Array;
  readonly info: QaImageInfo;
}

interface Checked {
  lut: Float64Array | undefined;
  alpha: number;
  blend: BlendMode;
}

function checkOptions(options: QaImageOptions): Checked {
  const alpha = options.alpha ?? 0.4;
  if (typeof alpha !== "number" || !Number.isFinite(alpha)) {
    throw new QaError("E_QA_OPTION", `alpha must be a finite number, got ${String(alpha)}`);
  }
  const blend = options.blend ?? "labelled";
  if (blend !== "labelled" && blend !== "all") {
    throw new QaError("E_QA_OPTION", `blend must be "labelled" or "all", got ${String(blend)}`);
  }
  const overlay = options.overlay;
  if (overlay !== undefined && /\.gii$/i.test(overlay)) {
    throw new QaError(
      "E_QA_SURFACE",
      "surface (GIfTI) overlays are not supported yet: surface QA images are not implemented",
      { path: overlay },
    );
  }
  const lut =
    options.lut === undefined && overlay === undefined
      ? undefined
      : lutTable(options.lut ?? "binary");
  return { lut, alpha, blend };
}

/**
 * A volume's montage before intensity scaling: the stored values of integer data (with their
 * range, scaled later per distinct value), else the float values.
 */
type RawMontage =
  | {
      kind: "integer";
      raw: IntegerArray;
      rawMin: number;
      rawMax: number;
      /** `counts[v - rawMin]`, when counted while cutting. */
      counts: Uint32Array | undefined;
      volume: QaVolume;
    }
  | { kind: "float"; values: Float64Array };

/** Integer stored values that fit a per-value table (uint32 may not: it takes the float path). */
const isSmallInteger = (data: NumericArray): data is IntegerArray =>
  data instanceof Int8Array ||
  data instanceof Uint8Array ||
  data instanceof Int16Array ||
  data instanceof Uint16Array ||
  data instanceof Int32Array;

/** The value range of 8- and 16-bit integer types (their montages are counted while cut). */
function typeRange(data: NumericArray): { min: number; max: number } | undefined {
  if (data instanceof Int8Array) return { min: -128, max: 127 };
  if (data instanceof Uint8Array) return { min: 0, max: 255 };
  if (data instanceof Int16Array) return { min: -32768, max: 32767 };
  if (data instanceof Uint16Array) return { min: 0, max: 65535 };
  return undefined;
}

/** Bounds of integer values. */
function valueRange(values: IntegerArray): { min: number; max: number } {
  let min = values[0] as number;
  let max = min;
  for (let i = 1; i < values.length; i++) {
    const v = values[i] as number;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { min, max };
}

/** The montage of a volume: resampled, cut and (for float data) scaled as the original does. */
function volumeMontage(
  volume: QaVolume,
  fractions: Fractions | undefined,
  role: "grey" | "labels",
): { montage: RawMontage; info: MontageInfo } {
  const indices = resampleGrid(volume.shape, volume.zooms);
  const resampledShape = indices.map((axis) => axis.length);
  if (resampledShape.includes(0)) {
    throw new QaError(
      "E_QA_EMPTY",
      `the 1 mm grid of shape [${volume.shape.join(", ")}] at [${volume.zooms.join(", ")}] mm ` +
        `has no voxel (shape [${resampledShape.join(", ")}])`,
      { path: volume.path },
    );
  }
  let planes: PlanePlan[];
  try {
    planes = slicePlan(resampledShape, volume.orientation, fractions);
  } catch (error) {
    if (error instanceof QaError)
      throw new QaError(error.code, error.message, { path: volume.path });
    throw error;
  }
  const layout = montageLayout(resampledShape, planes);
  // The minimum of the scaled 1 mm volume, from the stored values: scaling is monotonic (a
  // negative slope turns the largest stored value into the smallest).
  let rawBg: number;
  if (reversesOrder(volume.scaling)) {
    const raw = gridExtremes(volume.data, volume.shape, indices);
    rawBg = raw.nan ? Number.NaN : raw.max;
  } else {
    rawBg = gridMinimum(volume.data, volume.shape, indices);
  }
  const size = layout.width * layout.height;
  let montage: RawMontage | undefined;
  if (isSmallInteger(volume.data)) {
    // Stored values in an array of their own type: a quarter of the memory of float64.
    const raw = new (volume.data.constructor as new (n: number) => IntegerArray)(size);
    const known = typeRange(volume.data);
    if (known !== undefined && role === "grey") {
      // The grey levels need the counts of the values (minimum, percentile): count them now.
      const counts = new Uint32Array(known.max - known.min + 1);
      gatherMontage(volume.data, volume.shape, indices, planes, rawBg, raw, {
        counts,
        offset: known.min,
      });
      montage = { kind: "integer", raw, rawMin: known.min, rawMax: known.max, counts, volume };
    } else {
      gatherMontage(volume.data, volume.shape, indices, planes, rawBg, raw);
      const { min, max } = known ?? valueRange(raw);
      if (tableFits(min, max, size)) {
        montage = { kind: "integer", raw, rawMin: min, rawMax: max, counts: undefined, volume };
      }
    }
  }
  if (montage === undefined) {
    const values = gatherMontage(volume.data, volume.shape, indices, planes, rawBg);
    applyScaling(values, volume.scaling);
    montage = { kind: "float", values };
  }
  const info: MontageInfo = {
    orientation: volume.orientation,
    zooms: [...volume.zooms],
    shape: [...volume.shape],
    resampledShape,
    samples: indices.map((axis) => Array.from(axis)),
    tileSize: layout.tileSize,
    bgValue: scaleValue(rawBg, volume.scaling),
    planes,
  };
  return { montage, info };
}

/** The grey levels of a montage (see {@link scaleToUint8}). */
function greyLevels(montage: RawMontage): ScaledImage {
  return montage.kind === "integer"
    ? scaleIntegerMontage(
        montage.raw,
        montage.rawMin,
        montage.rawMax,
        montage.volume.scaling,
        montage.counts,
      )
    : scaleToUint8(montage.values, { inPlace: true });
}

/** The overlay's labels: its montage cast to uint8 as numpy casts. */
function labelValues(montage: RawMontage): Uint8Array {
  if (montage.kind === "integer") {
    return castIntegerMontage(montage.raw, montage.rawMin, montage.rawMax, montage.volume.scaling);
  }
  const labels = new Uint8Array(montage.values.length);
  for (let i = 0; i < labels.length; i++) labels[i] = castToUint8(montage.values[i] as number);
  return labels;
}

/** A file to read, or an image already in memory (a step that just wrote it saves the read). */
export type QaInput = string | NiftiImage;

function loadQaVolume(input: QaInput, role: string, signal?: AbortSignal): Promise<QaVolume> {
  return typeof input === "string"
    ? readQaVolume(input, role, signal)
    : Promise.resolve(qaVolume(input));
}

/**
 * The QA image of `input` in memory: what {@link createQaImage} writes, without the file.
 */
export async function renderQaImage(
  input: QaInput,
  options: QaImageOptions = {},
): Promise<QaRender> {
  const checked = checkOptions(options);
  const { signal } = options;
  signal?.throwIfAborted();
  const [volume, overlayVolume] = await Promise.all([
    loadQaVolume(input, "input", signal),
    options.overlay === undefined ? undefined : readQaVolume(options.overlay, "overlay", signal),
  ]);
  signal?.throwIfAborted();
  const base = volumeMontage(volume, options.fractions, "grey");
  const { planes } = base.info;
  const { width, height } = montageLayout(base.info.resampledShape, planes);
  const grey = greyLevels(base.montage);
  const common = {
    ...base.info,
    width,
    height,
    montageMin: grey.min,
    percentile999: grey.percentile,
  };
  if (overlayVolume === undefined) {
    return { pixels: grey.pixels, info: { ...common, mode: "L" } };
  }
  signal?.throwIfAborted();
  const over = volumeMontage(overlayVolume, options.fractions, "labels");
  const overLayout = montageLayout(over.info.resampledShape, over.info.planes);
  if (overLayout.width !== width || overLayout.height !== height) {
    throw new QaError(
      "E_QA_OVERLAY",
      `the overlay montage is ${overLayout.height} x ${overLayout.width} pixels, the image's ` +
        `${height} x ${width} (1 mm shapes [${over.info.resampledShape.join(", ")}] and ` +
        `[${base.info.resampledShape.join(", ")}])`,
      { path: overlayVolume.path },
    );
  }
  const labels = labelValues(over.montage);
  const pixels = blendOverlay(grey.pixels, labels, checked.lut, checked.alpha, checked.blend);
  return { pixels, labels, info: { ...common, mode: "RGB", overlay: over.info } };
}

/**
 * RADIFOX's `create_qa_image`: a 3 x k montage (axial, sagittal, coronal rows; one column per
 * slice fraction) of `input` resampled to 1 mm, with an optional label overlay, written to
 * `output` as PNG (greyscale, or RGB with an overlay) atomically.
 */
export async function createQaImage(
  input: QaInput,
  output: string,
  options: QaImageOptions = {},
): Promise<QaImageInfo> {
  const { pixels, info } = await renderQaImage(input, options);
  options.signal?.throwIfAborted();
  const png = encodePng(pixels, info.width, info.height, info.mode, {
    level: options.pngLevel ?? 1,
  });
  await writeFileAtomic(output, png, { durable: options.durable ?? false, signal: options.signal });
  return info;
}
