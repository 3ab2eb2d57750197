// A RADIFOX sidecar's `SeriesInfo` → a BIDS sidecar, keeping only the keys whose BIDS meaning
// is the same DICOM field. Everything else (UIDs, paths, hashes, names, geometry RADIFOX derives)
// is left out rather than guessed at.
import type { SeriesInfo } from "@radifox/naming";

type Convert = (value: unknown) => unknown;

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";
const isTextList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every(isText);

const text: Convert = (v) => (isText(v) ? v : isNumber(v) ? String(v) : undefined);
const number: Convert = (v) => (isNumber(v) ? v : undefined);
const integer: Convert = (v) => (Number.isInteger(v) ? v : undefined);
/** DICOM multi-values (a list) stay a list: BIDS takes a string or a list. */
const textOrList: Convert = (v) => (isText(v) || isTextList(v) ? v : undefined);
/** BIDS wants a list; a `\`-joined DICOM string is split. */
const textList: Convert = (v) =>
  isTextList(v) ? v : isText(v) ? v.split("\\").filter((s) => s !== "") : undefined;
const joined: Convert = (v) => (isTextList(v) ? v.join(" ") : isText(v) ? v : undefined);
const dimension: Convert = (v) => (v === "2D" || v === "3D" ? v : undefined);

/**
 * Milliseconds (DICOM) → seconds (BIDS) by moving the decimal point in the number's shortest
 * decimal form, so 2.1 ms is 0.0021 s, not 0.0021000000000000003 as 2.1 / 1000 is, and
 * no digit is rounded away.
 */
export function millisecondsToSeconds(ms: number): number {
  const [mantissa, exponent = "0"] = String(ms).split("e");
  return Number(`${mantissa}e${Number(exponent) - 3}`);
}

const seconds: Convert = (v) => (isNumber(v) ? millisecondsToSeconds(v) : undefined);

/** SeriesInfo key → [BIDS key, conversion]. */
const FIELDS: Readonly<Record<string, readonly [string, Convert]>> = {
  MagneticFieldStrength: ["MagneticFieldStrength", number],
  Manufacturer: ["Manufacturer", text],
  ScannerModelName: ["ManufacturersModelName", text],
  DeviceIdentifier: ["DeviceSerialNumber", text],
  InstitutionName: ["InstitutionName", text],
  SoftwareVersions: ["SoftwareVersions", joined],
  SeriesDescription: ["SeriesDescription", text],
  SeriesNumber: ["SeriesNumber", integer],
  SequenceName: ["SequenceName", text],
  SequenceType: ["ScanningSequence", textOrList],
  SequenceVariant: ["SequenceVariant", textOrList],
  ScanOptions: ["ScanOptions", textOrList],
  ImageType: ["ImageType", textList],
  FlipAngle: ["FlipAngle", number],
  RepetitionTime: ["RepetitionTime", seconds],
  EchoTime: ["EchoTime", seconds],
  InversionTime: ["InversionTime", seconds],
  EchoTrainLength: ["EchoTrainLength", integer],
  PixelBandwidth: ["PixelBandwidth", number],
  ReceiveCoilName: ["ReceiveCoilName", text],
  PercentSampling: ["PercentSampling", number],
  AcquisitionDimension: ["MRAcquisitionType", dimension],
  SliceThickness: ["SliceThickness", number],
  NumberOfAverages: ["NumberOfAverages", number],
};

/** What the BIDS name adds to a converted sidecar. */
export interface SidecarNameFields {
  /**
   * The name's `task-` label, written as `TaskName`: BIDS requires TaskName of bold images and
   * no DICOM field holds it, while the label is the task's name in the file names.
   */
  readonly task?: string | undefined;
}

/**
 * The BIDS sidecar of a RADIFOX `SeriesInfo` (the object or its data), keys sorted. Null,
 * missing, empty and ill-typed values are left out (a string where a number belongs is not
 * parsed); times go from ms to s; `SoftwareVersions` lists are joined with spaces; `ImageType`
 * becomes a list. `name` adds what only the BIDS name knows.
 */
export function radifoxSidecarToBids(
  info: SeriesInfo | Readonly<Record<string, unknown>>,
  name: SidecarNameFields = {},
): Record<string, unknown> {
  // Duck-typed: a second copy of @radifox/naming would defeat `instanceof`.
  const data: Readonly<Record<string, unknown>> =
    typeof info.keyFor === "function"
      ? (info as SeriesInfo).data
      : (info as Readonly<Record<string, unknown>>);
  const entries: [string, unknown][] = [];
  for (const [from, [to, convert]] of Object.entries(FIELDS)) {
    if (!Object.hasOwn(data, from)) continue;
    const value = convert(data[from]);
    if (value !== undefined) entries.push([to, value]);
  }
  if (name.task !== undefined) entries.push(["TaskName", name.task]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** The text of a BIDS sidecar: two-space JSON and a final newline. */
export function formatBidsSidecar(sidecar: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(sidecar, null, 2)}\n`;
}
