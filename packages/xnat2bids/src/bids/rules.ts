// Which suffixes BIDS defines for raw MRI-session data, the datatype folder each lives in, the
// entities each allows and needs, and its extensions (facts of the BIDS schema's
// `rules/files/raw/*.yaml`, BIDS 1.10). `sub` and `ses` are allowed everywhere and not listed.
import type { BidsName } from "./names.js";

/** The datatype folders of a session. */
export const BIDS_DATATYPES = ["anat", "func", "dwi", "fmap", "perf", "beh", "pet"] as const;
export type BidsDatatype = (typeof BIDS_DATATYPES)[number];

/** One group of suffixes sharing a folder, entities and extensions. */
export interface SuffixRule {
  readonly datatype: BidsDatatype;
  readonly suffixes: readonly string[];
  /** Allowed entity keys besides `sub` and `ses`, in BIDS order. */
  readonly entities: readonly string[];
  /** Keys that must be present besides `sub`. */
  readonly required: readonly string[];
  readonly extensions: readonly string[];
  /** A NIfTI of this group needs a JSON sidecar (`required`) or should have one. */
  readonly sidecar: "required" | "recommended" | "none";
  /** Suffixes kept by BIDS only for old datasets. */
  readonly deprecated?: readonly string[];
}

const NIFTI = [".nii.gz", ".nii", ".json"] as const;
/** Continuous recordings (physio, stim): headerless compressed TSV, columns named in the JSON. */
const TIMESERIES = [".tsv.gz", ".json"] as const;

function rule(
  datatype: BidsDatatype,
  suffixes: readonly string[],
  entities: string,
  required: string,
  extensions: readonly string[] = NIFTI,
  sidecar: SuffixRule["sidecar"] = "recommended",
  deprecated: readonly string[] = [],
): SuffixRule {
  const list = (text: string) => (text === "" ? [] : text.split(" "));
  return {
    datatype,
    suffixes,
    entities: list(entities),
    required: list(required),
    extensions,
    sidecar,
    deprecated,
  };
}

const ANAT = "task acq ce rec run echo part chunk";
const B1 = "acq ce rec run echo flip inv part chunk";

/**
 * The rules, in the order datatypes are chosen: a suffix in several groups (`sbref`, `physio`,
 * `events`, `m0scan`) goes to the first group whose required entities the name has.
 */
export const SUFFIX_RULES: readonly SuffixRule[] = Object.freeze([
  rule(
    "anat",
    [
      "T1w",
      "T2w",
      "PDw",
      "T2starw",
      "FLAIR",
      "inplaneT1",
      "inplaneT2",
      "PDT2",
      "angio",
      "T2star",
      "FLASH",
      "PD",
    ],
    ANAT,
    "",
    NIFTI,
    "recommended",
    ["T2star", "FLASH", "PD"],
  ),
  rule(
    "anat",
    [
      "T1map",
      "T2map",
      "T2starmap",
      "R1map",
      "R2map",
      "R2starmap",
      "PDmap",
      "MTRmap",
      "MTsat",
      "UNIT1",
      "T1rho",
      "MWFmap",
      "MTVmap",
      "Chimap",
      "S0map",
      "M0map",
    ],
    "task acq ce rec run chunk",
    "",
  ),
  rule("anat", ["defacemask"], "task acq ce rec run mod chunk", ""),
  rule("anat", ["MESE", "MEGRE"], "task acq ce rec run echo part chunk", "echo"),
  rule("anat", ["VFA"], "task acq ce rec run flip part chunk", "flip"),
  rule("anat", ["IRT1"], "task acq ce rec run inv part chunk", "inv"),
  rule("anat", ["MP2RAGE"], "task acq ce rec run echo flip inv part chunk", "inv"),
  rule("anat", ["MPM", "MTS"], "task acq ce rec run echo flip mt part chunk", "flip mt"),
  rule("anat", ["MTR"], "task acq ce rec run mt part chunk", "mt"),
  rule(
    "func",
    ["bold", "cbv"],
    "task acq ce rec dir run echo part chunk",
    "task",
    NIFTI,
    "required",
  ),
  rule("func", ["sbref"], "task acq ce rec dir run echo part chunk", "task"),
  rule("func", ["phase"], "task acq ce rec dir run echo chunk", "task", NIFTI, "required", [
    "phase",
  ]),
  rule("func", ["events"], "task acq ce rec dir run", "task", [".tsv", ".json"], "none"),
  rule("func", ["physio", "stim"], "task acq ce rec dir run recording", "task", TIMESERIES, "none"),
  rule("dwi", ["dwi"], "acq rec dir run part chunk", "", [...NIFTI, ".bval", ".bvec"], "required"),
  rule("dwi", ["sbref"], "acq rec dir run part chunk", ""),
  // Maps the scanner computes from the diffusion series: no gradient files, no part-.
  rule("dwi", ["ADC", "FA", "colFA", "expADC", "trace"], "acq rec dir run chunk", ""),
  // dwi/ and perf/ data have no task-, so neither have their recordings.
  rule("dwi", ["physio", "stim"], "acq rec dir run recording", "", TIMESERIES, "none"),
  rule(
    "fmap",
    ["phasediff", "phase1", "phase2", "magnitude1", "magnitude2", "magnitude", "fieldmap"],
    "acq run chunk",
    "",
    NIFTI,
    "required",
  ),
  rule("fmap", ["epi"], "acq ce dir run part chunk", "dir", NIFTI, "required"),
  rule("fmap", ["TB1DAM"], "acq ce rec run flip part chunk", "flip"),
  rule("fmap", ["TB1EPI"], B1, "echo flip"),
  rule("fmap", ["TB1AFI", "TB1TFL", "TB1RFM", "RB1COR"], B1, ""),
  rule("fmap", ["TB1SRGE"], B1, "flip inv"),
  rule("fmap", ["TB1map", "RB1map"], "acq ce rec run chunk", ""),
  rule("perf", ["asl", "m0scan"], "acq rec dir run", "", NIFTI, "required"),
  rule("fmap", ["m0scan"], "acq ce dir run part chunk", "dir", NIFTI, "required"),
  rule("perf", ["aslcontext"], "acq rec dir run", "", [".tsv", ".json"], "none"),
  rule("perf", ["asllabeling"], "acq rec run", "", [".jpg", ".json"], "none"),
  rule("perf", ["physio", "stim"], "acq rec dir run recording", "", TIMESERIES, "none"),
  rule("beh", ["beh", "events"], "task acq run", "task", [".tsv", ".json"], "none"),
  rule("beh", ["physio", "stim"], "task acq run recording", "task", TIMESERIES, "none"),
  rule(
    "anat",
    ["physio", "stim"],
    "task acq ce rec run echo part recording chunk",
    "task",
    TIMESERIES,
    "none",
  ),
  rule("pet", ["pet"], "task trc rec run", "", NIFTI, "required"),
  rule("pet", ["blood"], "task trc rec run recording", "recording", [".tsv", ".json"], "none"),
  rule("pet", ["physio", "stim"], "task trc rec run recording", "task", TIMESERIES, "none"),
]);

/** The rules of each suffix, in choice order: looked up for every file of large datasets. */
const RULES_BY_SUFFIX = new Map<string, readonly SuffixRule[]>();
for (const r of SUFFIX_RULES) {
  for (const suffix of r.suffixes)
    RULES_BY_SUFFIX.set(suffix, [...(RULES_BY_SUFFIX.get(suffix) ?? []), r]);
}

/** Every rule that defines `suffix` (case-sensitive, as BIDS is), in choice order. */
export function rulesForSuffix(suffix: string): SuffixRule[] {
  return [...(RULES_BY_SUFFIX.get(suffix) ?? [])];
}

/** Why a name does not fit a rule, one message per reason. */
export function ruleProblems(name: BidsName, r: SuffixRule): string[] {
  const problems: string[] = [];
  const keys = new Set(name.entities.map((e) => e.key));
  for (const key of r.required) {
    if (!keys.has(key)) problems.push(`${name.suffix} in ${r.datatype}/ needs a ${key}- entity`);
  }
  for (const key of keys) {
    if (key === "sub" || key === "ses") continue;
    if (!r.entities.includes(key)) {
      problems.push(`${key}- is not allowed for ${name.suffix} in ${r.datatype}/`);
    }
  }
  if (name.extension !== "" && !r.extensions.includes(name.extension)) {
    problems.push(
      `${name.extension} is not an extension of ${name.suffix} (${r.extensions.join(", ")})`,
    );
  }
  return problems;
}

/** What {@link placeBidsName} returns. */
export type Placement =
  | { readonly ok: true; readonly rule: SuffixRule }
  | { readonly ok: false; readonly reason: string };

/**
 * The rule (and so the datatype folder) for a well-formed name: the first rule of its suffix
 * that it fits. A name whose suffix BIDS does not define, or that fits none of its rules, gets
 * the reason. With `datatype`, only rules of that folder are considered.
 */
export function placeBidsName(name: BidsName, datatype?: string): Placement {
  const candidates = rulesForSuffix(name.suffix).filter(
    (r) => datatype === undefined || r.datatype === datatype,
  );
  if (candidates.length === 0) {
    const known = rulesForSuffix(name.suffix);
    if (known.length > 0 && datatype !== undefined) {
      const folders = [...new Set(known.map((r) => r.datatype))].join(" or ");
      return { ok: false, reason: `${name.suffix} belongs in ${folders}/, not ${datatype}/` };
    }
    const other = SUFFIX_RULES.flatMap((r) => r.suffixes).find(
      (s) => s.toLowerCase() === name.suffix.toLowerCase(),
    );
    return {
      ok: false,
      reason:
        other === undefined
          ? `'${name.suffix}' is not a BIDS suffix`
          : `'${name.suffix}' is not a BIDS suffix (BIDS writes '${other}')`,
    };
  }
  let first: string[] | undefined;
  for (const r of candidates) {
    const problems = ruleProblems(name, r);
    if (problems.length === 0) return { ok: true, rule: r };
    first ??= problems;
  }
  return { ok: false, reason: (first ?? []).join("; ") };
}

/** Where a datatype's files go in a dataset: `sub-<sub>/[ses-<ses>/]<datatype>`. */
export function datatypeFolder(subject: string, session: string | undefined, datatype: string) {
  return [`sub-${subject}`, ...(session === undefined ? [] : [`ses-${session}`]), datatype].join(
    "/",
  );
}
