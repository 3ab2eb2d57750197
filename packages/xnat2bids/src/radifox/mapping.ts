// How RADIFOX image types become BIDS names: the default table, and the user's partial table
// (a JSON file) merged over it and checked before any image is looked at.
import { type ACQ_COMPONENTS, checkMapping } from "./mapping-check.js";

export { ACQ_COMPONENTS } from "./mapping-check.js";

/** The image-type components an `acq-` label can be built from. */
export type RadifoxAcqComponent = (typeof ACQ_COMPONENTS)[number];

/** What one extra (`ECHO1`, `INV2`, `MAG`, …) adds to a name. */
export interface RadifoxExtraRule {
  /** Entities set: key → value; `$1`, `$2`, … stand for the pattern's groups. */
  readonly entities?: Readonly<Record<string, string>>;
  /** Suffix changes: a suffix that is a key here becomes its value (`{ T1w: "MP2RAGE" }`). */
  readonly suffix?: Readonly<Record<string, string>>;
}

/** How the `acq-` label is made. */
export interface RadifoxAcquisitionRule {
  /** The components joined, in this order (letters and digits kept); `[]` gives no `acq-`. */
  readonly components: readonly RadifoxAcqComponent[];
  /** Orientation → its short form; one not listed is kept as written. */
  readonly orientations: Readonly<Record<string, string>>;
  /** Bodyparts left out of the label (the study's usual one). */
  readonly defaultBodyparts: readonly string[];
}

/**
 * The whole RADIFOX → BIDS table. Keys are RADIFOX words as they appear in names (upper case).
 * An image whose modality, excontrast or any extra has no entry is skipped, with the reason.
 */
export interface RadifoxMapping {
  /** Modality → BIDS suffix. */
  readonly modalities: Readonly<Record<string, string>>;
  /** Excontrast → the entities it adds (`{}` for none). */
  readonly excontrast: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly acquisition: RadifoxAcquisitionRule;
  /**
   * Extra rules keyed by a regular expression (JavaScript syntax, `u` flag) matched against the
   * whole extra, case-sensitively; the first match in key order wins (JSON order, except that
   * keys which are plain numbers come first, as in any JS object). An extra no rule matches
   * makes the image skipped.
   */
  readonly extras: Readonly<Record<string, RadifoxExtraRule>>;
}

/**
 * A user's partial table, as read from JSON. Each entry replaces the default of the same key;
 * `null` removes it (`null` for a whole section empties it; for `acquisition`, no `acq-`). New
 * extra rules come after the defaults: to win over a default that matches the same extra,
 * remove that default.
 */
export interface RadifoxMappingOverrides {
  readonly modalities?: Readonly<Record<string, string | null>> | null;
  readonly excontrast?: Readonly<Record<string, Readonly<Record<string, string>> | null>> | null;
  readonly acquisition?: {
    readonly components?: readonly RadifoxAcqComponent[] | null;
    readonly orientations?: Readonly<Record<string, string | null>> | null;
    readonly defaultBodyparts?: readonly string[] | null;
  } | null;
  readonly extras?: Readonly<Record<string, RadifoxExtraRule | null>> | null;
}

/** A user's table that cannot be used; `problems` lists every bad entry. */
export class RadifoxMappingError extends Error {
  override readonly name = "RadifoxMappingError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`bad RADIFOX mapping:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/**
 * The defaults. Left out on purpose (skipped, with a reason saying how to add them): STIR, SWI,
 * MT, FLOW, UNK and the CT modalities (no BIDS suffix says what they are), and the extras
 * POS<n>, MTON/MTOFF and SWI. `ND` (Siemens: no distortion correction) and `SUM` become
 * `rec-nd` and `rec-sum`: lower-case like BIDS's own examples, and they differ from the
 * corrected image of the same series.
 */
export const DEFAULT_RADIFOX_MAPPING: RadifoxMapping = deepFreeze({
  modalities: {
    T1: "T1w",
    T2: "T2w",
    PD: "PDw",
    FLAIR: "FLAIR",
    T2STAR: "T2starw",
    TOF: "angio",
    DIFF: "dwi",
  },
  excontrast: { POST: { ce: "gadolinium" }, PRE: {} },
  acquisition: {
    components: ["bodypart", "technique", "acqdim", "orientation"],
    orientations: { AXIAL: "ax", SAGITTAL: "sag", CORONAL: "cor", NONE: "" },
    defaultBodyparts: ["BRAIN"],
  },
  extras: {
    "ECHO(\\d+)": { entities: { echo: "$1" } },
    "INV(\\d+)": { entities: { inv: "$1" }, suffix: { T1w: "MP2RAGE" } },
    MAG: { entities: { part: "mag" } },
    PHA: { entities: { part: "phase" } },
    REA: { entities: { part: "real" } },
    IMA: { entities: { part: "imag" } },
    "DYN(\\d+)": { entities: { run: "$1" } },
    ND: { entities: { rec: "nd" } },
    SUM: { entities: { rec: "sum" } },
  },
} satisfies RadifoxMapping);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** A section of records merged key by key; shape problems go to `problems`. */
function mergeRecord<T>(
  path: string,
  defaults: Readonly<Record<string, T>>,
  override: unknown,
  problems: string[],
): Record<string, T> {
  if (override === undefined) return { ...defaults };
  if (override === null) return {};
  if (!isRecord(override)) {
    problems.push(`${path}: must be an object, not ${JSON.stringify(override)}`);
    return { ...defaults };
  }
  const merged: Record<string, T> = { ...defaults };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else merged[key] = value as T;
  }
  return merged;
}

function mergeList<T>(path: string, defaults: readonly T[], override: unknown, problems: string[]) {
  if (override === undefined) return [...defaults];
  if (override === null) return [];
  if (!Array.isArray(override)) {
    problems.push(`${path}: must be a list, not ${JSON.stringify(override)}`);
    return [...defaults];
  }
  return [...override] as T[];
}

const SECTIONS = ["modalities", "excontrast", "acquisition", "extras"];
const ACQ_KEYS = ["components", "orientations", "defaultBodyparts"];

function unknownKeys(path: string, value: Record<string, unknown>, known: string[]): string[] {
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => `${path}${key}: unknown key (expected one of ${known.join(", ")})`);
}

/**
 * The defaults with `overrides` merged over them, checked. Throws {@link RadifoxMappingError}
 * listing every problem: a key the table does not have, a suffix BIDS does not define, an
 * entity key BIDS does not define (or `sub`/`ses`, which come from the folders), a value the
 * entity cannot hold, a pattern that is no regular expression or uses a group it lacks.
 */
export function resolveRadifoxMapping(overrides?: RadifoxMappingOverrides | null): RadifoxMapping {
  const problems: string[] = [];
  const given: unknown = overrides ?? {};
  if (!isRecord(given)) throw new RadifoxMappingError(["the mapping must be a JSON object"]);
  problems.push(...unknownKeys("", given, SECTIONS));
  const base = DEFAULT_RADIFOX_MAPPING;
  const acq = given.acquisition;
  let acquisition: RadifoxAcquisitionRule;
  if (acq === null) acquisition = { ...base.acquisition, components: [] };
  else if (acq !== undefined && !isRecord(acq)) {
    problems.push(`acquisition: must be an object, not ${JSON.stringify(acq)}`);
    acquisition = base.acquisition;
  } else {
    const a = acq ?? {};
    problems.push(...unknownKeys("acquisition.", a, ACQ_KEYS));
    acquisition = {
      components: mergeList(
        "acquisition.components",
        base.acquisition.components,
        a.components,
        problems,
      ),
      orientations: mergeRecord(
        "acquisition.orientations",
        base.acquisition.orientations,
        a.orientations,
        problems,
      ),
      defaultBodyparts: mergeList(
        "acquisition.defaultBodyparts",
        base.acquisition.defaultBodyparts,
        a.defaultBodyparts,
        problems,
      ),
    };
  }
  const mapping: RadifoxMapping = {
    modalities: mergeRecord("modalities", base.modalities, given.modalities, problems),
    excontrast: mergeRecord("excontrast", base.excontrast, given.excontrast, problems),
    acquisition,
    extras: mergeRecord("extras", base.extras, given.extras, problems),
  };
  problems.push(...checkMapping(mapping));
  if (problems.length > 0) throw new RadifoxMappingError(problems);
  // A copy: freezing must not touch the caller's objects.
  return deepFreeze(structuredClone(mapping));
}
