// The sidecar keys BIDS 1.10 makes REQUIRED for raw MRI images and continuous recordings (the
// schema's `rules/sidecars/*.yaml`; RECOMMENDED keys are left out). The checker merges a data
// file's sidecars by the inheritance principle and asks this table what is missing.
import { type BidsName, entityValue } from "./names.js";

/** A key that must be there, or a choice of keys one of which must be. */
export type RequiredKey = string | { readonly anyOf: readonly string[] };

/** A sidecar value that makes keys required: `key` holds one of `values`. */
export interface KeyCondition {
  readonly key: string;
  readonly values: readonly unknown[];
}

/** Keys required of data files that match every given field. */
export interface SidecarKeyRule {
  /** Datatype folders it applies to; all when absent. */
  readonly datatypes?: readonly string[];
  /** Suffixes it applies to; all when absent. */
  readonly suffixes?: readonly string[];
  /** An entity the name must have; with `values`, one of those values. */
  readonly entity?: { readonly key: string; readonly values?: readonly string[] };
  /** Data file extensions it applies to; all when absent. */
  readonly extensions?: readonly string[];
  /** Sidecar values that must all hold. */
  readonly when?: readonly KeyCondition[];
  readonly keys: readonly RequiredKey[];
}

const MRI = ["anat", "func", "dwi", "fmap", "perf"];
const NIFTI = [".nii.gz", ".nii"];
const ASL = { datatypes: ["perf"], suffixes: ["asl"] } as const;

/** An image whose name has `key`: the key's value must be in the sidecar. */
const entityKey = (key: string, keys: string[], values?: string[]): SidecarKeyRule => ({
  datatypes: MRI,
  entity: values ? { key, values } : { key },
  extensions: NIFTI,
  keys,
});

/**
 * The table. Deliberately absent: `cbv` (the schema asks TaskName and the timing only of
 * `bold`), IntendedFor of fmap files (recommended), and the qMRI collections (MP2RAGE, VFA,
 * IRT1, MPM …), whose appendix lists metadata that the 1.10 schema does not require; what it
 * does require of them comes from their entities (inv- → InversionTime, flip- → FlipAngle …).
 * PET keys are not checked.
 */
export const SIDECAR_KEY_RULES: readonly SidecarKeyRule[] = Object.freeze([
  // The volume timing is given one way or the other (the two are mutually exclusive).
  {
    datatypes: ["func"],
    suffixes: ["bold"],
    keys: [{ anyOf: ["RepetitionTime", "VolumeTiming"] }, "TaskName"],
  },
  { datatypes: ["func"], suffixes: ["phase"], keys: ["Units"] },
  // Each fieldmap kind needs what turns it into Hz.
  { datatypes: ["fmap"], suffixes: ["phasediff"], keys: ["EchoTime1", "EchoTime2"] },
  { datatypes: ["fmap"], suffixes: ["phase1", "phase2"], keys: ["EchoTime"] },
  { datatypes: ["fmap"], suffixes: ["fieldmap"], keys: ["Units"] },
  { datatypes: ["fmap"], suffixes: ["epi"], keys: ["PhaseEncodingDirection", "TotalReadoutTime"] },
  {
    datatypes: ["fmap"],
    suffixes: ["TB1EPI"],
    keys: ["EchoTime", "FlipAngle", "TotalReadoutTime", "MixingTime"],
  },
  // ASL cannot be quantified without its labelling parameters.
  {
    ...ASL,
    keys: [
      "ArterialSpinLabelingType",
      "PostLabelingDelay",
      "BackgroundSuppression",
      "M0Type",
      "TotalAcquiredPairs",
      "RepetitionTimePreparation",
      "MagneticFieldStrength",
      "MRAcquisitionType",
      "EchoTime",
    ],
  },
  // A perf/ m0scan must say which ASL series it calibrates (in fmap/ that is only recommended).
  {
    datatypes: ["perf"],
    suffixes: ["m0scan"],
    keys: ["RepetitionTimePreparation", "EchoTime", "IntendedFor"],
  },
  // Keys that other values make required, each condition as the schema states it.
  {
    ...ASL,
    when: [{ key: "ArterialSpinLabelingType", values: ["CASL", "PCASL"] }],
    keys: ["LabelingDuration"],
  },
  {
    ...ASL,
    when: [{ key: "ArterialSpinLabelingType", values: ["PASL"] }],
    keys: ["BolusCutOffFlag"],
  },
  {
    ...ASL,
    when: [
      { key: "ArterialSpinLabelingType", values: ["PASL"] },
      { key: "BolusCutOffFlag", values: [true] },
    ],
    keys: ["BolusCutOffDelayTime", "BolusCutOffTechnique"],
  },
  { ...ASL, when: [{ key: "M0Type", values: ["Estimate"] }], keys: ["M0Estimate"] },
  {
    datatypes: ["perf"],
    suffixes: ["asl", "m0scan"],
    when: [{ key: "MRAcquisitionType", values: ["2D"] }],
    keys: ["SliceTiming"],
  },
  {
    datatypes: MRI,
    extensions: NIFTI,
    when: [{ key: "LookLocker", values: [true] }],
    keys: ["FlipAngle"],
  },
  // An entity that numbers images of a collection needs the parameter it stands for.
  entityKey("echo", ["EchoTime"]),
  entityKey("flip", ["FlipAngle"]),
  entityKey("inv", ["InversionTime"]),
  entityKey("mt", ["MTState"]),
  entityKey("part", ["Units"], ["phase"]),
  // The TSV has no header line: the JSON names the columns and the timing.
  { suffixes: ["physio", "stim"], keys: ["SamplingFrequency", "StartTime", "Columns"] },
] satisfies SidecarKeyRule[]);

/**
 * Merges the sidecars of one data file, nearest first: a key takes the value of the nearest
 * file that sets it. `null` sets nothing, since BIDS lets no file unset an inherited key.
 */
export function mergeSidecars(
  nearestFirst: readonly Readonly<Record<string, unknown>>[],
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const sidecar of nearestFirst) {
    for (const [key, value] of Object.entries(sidecar)) {
      if (value !== null && !Object.hasOwn(merged, key)) merged[key] = value;
    }
  }
  return merged;
}

function applies(
  r: SidecarKeyRule,
  datatype: string,
  name: BidsName,
  sidecar: Readonly<Record<string, unknown>>,
): boolean {
  if (r.datatypes && !r.datatypes.includes(datatype)) return false;
  if (r.suffixes && !r.suffixes.includes(name.suffix)) return false;
  if (r.extensions && !r.extensions.includes(name.extension)) return false;
  if (r.entity) {
    const value = entityValue(name, r.entity.key);
    if (value === undefined || (r.entity.values && !r.entity.values.includes(value))) return false;
  }
  return (r.when ?? []).every((c) => c.values.includes(sidecar[c.key]));
}

/** The keys as a finding says them: `A`, or `A or B`. */
export function keyText(key: RequiredKey): string {
  return typeof key === "string" ? key : key.anyOf.join(" or ");
}

/** The facts that made a conditional rule apply, for the message: ` (M0Type is "Estimate")`. */
function reasonText(
  r: SidecarKeyRule,
  name: BidsName,
  sidecar: Readonly<Record<string, unknown>>,
): string {
  const facts = (r.when ?? []).map((c) => `${c.key} is ${JSON.stringify(sidecar[c.key])}`);
  if (r.entity) facts.unshift(`the name has ${r.entity.key}-${entityValue(name, r.entity.key)}`);
  return facts.length === 0 ? "" : ` (${facts.join(", ")})`;
}

/** What a data file's merged sidecar lacks. */
export interface MissingKey {
  readonly key: RequiredKey;
  /** What made it required beyond the suffix (` (the name has echo-2)`), or `""`. */
  readonly reason: string;
}

/**
 * The required keys that the merged `sidecar` of a data file (its name, in folder `datatype`)
 * lacks, each once, in table order. A key that is present with any value but `null` counts.
 */
export function missingSidecarKeys(
  datatype: string,
  name: BidsName,
  sidecar: Readonly<Record<string, unknown>>,
): MissingKey[] {
  const has = (key: string) => sidecar[key] !== undefined && sidecar[key] !== null;
  const missing: MissingKey[] = [];
  const seen = new Set<string>();
  for (const r of SIDECAR_KEY_RULES) {
    if (!applies(r, datatype, name, sidecar)) continue;
    for (const key of r.keys) {
      const text = keyText(key);
      const present = typeof key === "string" ? has(key) : key.anyOf.some(has);
      if (present || seen.has(text)) continue;
      seen.add(text);
      missing.push({ key, reason: reasonText(r, name, sidecar) });
    }
  }
  return missing;
}
