// The JSON sidecar radifox-convert writes next to each image: `json.dumps(doc, indent=4,
// sort_keys=True)` with every SeriesInfo value rendered compactly on one line (its NoIndent
// wrapper), Python float formatting (`3.0`) and no trailing newline.
import { compareCodePoints, PyFloat, pythonFloatRepr } from "@radifox/naming";
import { voxelSizes } from "./geometry.js";
import type { Shape3 } from "./noise.js";
import type { ImageSpec } from "./protocols.js";
import { deriveSeed } from "./random.js";

/** SeriesInfo keys whose numbers Python holds as floats (written `3.0`, not `3`). */
const FLOAT_KEYS = new Set([
  "AcquiredResolution",
  "EchoTime",
  "FieldOfView",
  "FlipAngle",
  "ImageOrientationPatient",
  "ImagePositionPatient",
  "InversionTime",
  "MagneticFieldStrength",
  "NumberOfAverages",
  "PercentSampling",
  "PixelBandwidth",
  "ReconResolution",
  "RepetitionTime",
  "SliceSpacing",
  "SliceThickness",
  "TriggerTime",
]);

function asFloats(value: unknown): unknown {
  if (typeof value === "number") return new PyFloat(value);
  if (Array.isArray(value)) return value.map(asFloats);
  return value;
}

/** Where and what an image is, for its sidecar. */
export interface SidecarContext {
  readonly spec: ImageSpec;
  /** The image's name without extension. */
  readonly name: string;
  readonly project: string;
  /** The subject number part of the id (`0001`). */
  readonly subjectNumber: string;
  readonly subjectId: string;
  readonly sessionId: string;
  readonly subjectIndex: number;
  readonly sessionIndex: number;
  readonly shape: Shape3;
  readonly seed: number;
}

function uid(...parts: (string | number)[]): string {
  return `2.25.${deriveSeed(...parts, "a")}${String(deriveSeed(...parts, "b")).padStart(10, "0")}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `YYYY-MM-DD HH:MM:SS` as radifox-convert stores AcqDateTime. */
function acquisitionTime(ctx: SidecarContext): string {
  const day = 24 * 3600 * 1000;
  const start =
    Date.UTC(2024, 0, 8, 8, 0, 0) + ctx.subjectIndex * day + ctx.sessionIndex * 91 * day;
  const date = new Date(start + (ctx.spec.series - 1) * 6 * 60 * 1000);
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

/** The sidecar's SeriesInfo object. */
export function seriesInfo(ctx: SidecarContext): Record<string, unknown> {
  const { spec, shape } = ctx;
  const is3D = spec.acqdim.toUpperCase() === "3D";
  const zooms = voxelSizes(spec);
  const studyUid = uid(ctx.seed, ctx.subjectId, ctx.sessionId, "study", spec.study);
  // Scanner-style: the part before the last dot differs between series (radifox-convert
  // takes series sharing it for dynamics of one acquisition).
  const seriesUid = `${uid(ctx.seed, ctx.subjectId, ctx.sessionId, "series", spec.study, spec.series)}.0.0.0`;
  const typeParts = [
    spec.bodypart,
    spec.modality,
    spec.technique,
    spec.acqdim,
    spec.orientation,
    spec.excontrast,
  ];
  const info: Record<string, unknown> = {
    AcqDateTime: acquisitionTime(ctx),
    AcquiredResolution: [...spec.resolution],
    AcquisitionDimension: spec.acqdim,
    AcquisitionMatrix: [shape[0], shape[1]],
    BodyPartExamined: "BRAIN",
    ComplexImageComponent: "MAGNITUDE",
    ConvertImage: true,
    EchoTime: null,
    EchoTrainLength: 1,
    ExContrastAgent: null,
    FieldOfView: [shape[0] * zooms[0], shape[1] * zooms[1]],
    FlipAngle: null,
    ImageType: ["ORIGINAL", "PRIMARY", "OTHER"],
    InstitutionName: "SYNTHETIC MEDICAL CENTER",
    InversionTime: null,
    LookupName: [null, null, null, null, null, null],
    MagneticFieldStrength: 3,
    ManualName: [null, null, null, null, null, null],
    Manufacturer: "GE",
    Modality: "MR",
    MultiFrame: false,
    NiftiCreated: true,
    NiftiName: ctx.name,
    NumFiles: shape[2],
    PredictedName: typeParts,
    ReconMatrix: [shape[0], shape[1]],
    ReconResolution: [zooms[0], zooms[1]],
    RepetitionTime: null,
    ScannerModelName: "DISCOVERY MR750",
    SeriesDescription: spec.description,
    SeriesNumber: spec.series,
    SeriesUID: seriesUid,
    SliceOrientation: spec.orientation.toLowerCase(),
    SliceSpacing: is3D ? null : (spec.spacing ?? spec.thickness),
    SliceThickness: spec.thickness,
    SoftwareVersions: "27\\LX\\MR Software release:DV26.0_R03",
    SourcePath: `dcm/${seriesUid}`,
    StudyDescription: "MRI BRAIN WITH AND WITHOUT CONTRAST",
    StudyUID: studyUid,
    ...spec.info,
  };
  for (const key of Object.keys(info)) {
    if (FLOAT_KEYS.has(key)) info[key] = asFloats(info[key]);
  }
  return info;
}

/** The whole sidecar document. */
export function sidecarDocument(ctx: SidecarContext): Record<string, unknown> {
  return {
    Metadata: {
      ProjectID: ctx.project,
      SessionID: ctx.sessionId,
      SiteID: null,
      SubjectID: ctx.subjectNumber,
      _NoProjectSubdir: true,
    },
    SeriesInfo: seriesInfo(ctx),
    __version__: { radifox: "synth" },
  };
}

/** A JSON string as Python's json module writes it (`ensure_ascii`). */
function jsonString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  }
  if (typeof value === "string") return jsonString(value);
  return undefined;
}

function sortedEntries(value: object): [string, unknown][] {
  return Object.entries(value).sort(([a], [b]) => compareCodePoints(a, b));
}

/** `json.dumps(value, sort_keys=True)`: one line, `, ` and `: ` separators. */
function compact(value: unknown): string {
  const plain = scalar(value);
  if (plain !== undefined) return plain;
  if (Array.isArray(value)) return `[${value.map(compact).join(", ")}]`;
  const entries = sortedEntries(value as object);
  return `{${entries.map(([k, v]) => `${jsonString(k)}: ${compact(v)}`).join(", ")}}`;
}

/** `json.dumps(value, indent=4, sort_keys=True)` at nesting `depth`. */
function indented(value: unknown, depth: number): string {
  const plain = scalar(value);
  if (plain !== undefined) return plain;
  const inner = " ".repeat(4 * (depth + 1));
  const outer = " ".repeat(4 * depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((item) => inner + indented(item, depth + 1));
    return `[\n${items.join(",\n")}\n${outer}]`;
  }
  const entries = sortedEntries(value as object);
  if (entries.length === 0) return "{}";
  const items = entries.map(
    ([key, item]) => `${inner}${jsonString(key)}: ${indented(item, depth + 1)}`,
  );
  return `{\n${items.join(",\n")}\n${outer}}`;
}

/**
 * The sidecar text, byte for byte as radifox-convert writes it: sorted keys, 4-space indent,
 * each SeriesInfo value on one line, Python floats, no trailing newline.
 */
export function sidecarText(doc: Record<string, unknown>): string {
  const entries = sortedEntries(doc);
  const items = entries.map(([key, value]) => {
    const text =
      key === "SeriesInfo" && value !== null && typeof value === "object" && !Array.isArray(value)
        ? seriesInfoText(value as Record<string, unknown>)
        : indented(value, 1);
    return `    ${jsonString(key)}: ${text}`;
  });
  return `{\n${items.join(",\n")}\n}`;
}

function seriesInfoText(info: Record<string, unknown>): string {
  const entries = sortedEntries(info);
  if (entries.length === 0) return "{}";
  const items = entries.map(([key, value]) => `        ${jsonString(key)}: ${compact(value)}`);
  return `{\n${items.join(",\n")}\n    }`;
}
