export { QaError, type QaErrorCode } from "./errors.js";
export { type ScaledImage, scaleToUint8 } from "./intensity.js";
export { LUTS, type LutName, type LutTable, lutTable, type Rgb } from "./luts.js";
export { type Montage, type MontageLayout, montage, montageLayout } from "./montage.js";
export { castToUint8, roundHalfEven } from "./numpy.js";
export {
  DEFAULT_FRACTIONS,
  type Fractions,
  PLANES,
  type PlaneName,
  type PlanePlan,
  slicePlan,
} from "./orientation-slices.js";
export { type BlendMode, blendOverlay } from "./overlay.js";
export { percentile } from "./percentile.js";
export { encodePng, type PngMode, type PngOptions } from "./png.js";
export {
  createQaImage,
  type MontageInfo,
  type QaImageInfo,
  type QaImageOptions,
  type QaInput,
  type QaRender,
  renderQaImage,
} from "./qa-image.js";
export {
  type Resampled,
  type ResampledAxis,
  resample1mm,
  resampleAxis,
  resampleIndices,
} from "./resample.js";
