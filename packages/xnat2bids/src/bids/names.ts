// BIDS file names: `<key>-<value>[_<key>-<value>]*_<suffix><extension>`. Parsing is strict:
// every token before the suffix is one key-value pair, values hold no `-` or `_`, and the
// extension starts at the first dot (so `.nii.gz` and `.tsv.gz` are one extension).
import { entityByKey, entityOrder, entityValueProblem } from "./entities.js";

/** One `key-value` pair of a name. */
export interface BidsNameEntity {
  readonly key: string;
  readonly value: string;
}

/** A BIDS name taken apart. */
export interface BidsName {
  /** The pairs in name order. */
  readonly entities: readonly BidsNameEntity[];
  readonly suffix: string;
  /** From the first dot on (`.nii.gz`), or `""`. */
  readonly extension: string;
}

/** Why a name is not a well-formed BIDS name. */
export type BidsNameProblemCode =
  | "NO_SUFFIX"
  | "NOT_KEY_VALUE"
  | "DASH_IN_VALUE"
  | "BAD_VALUE"
  | "UNKNOWN_ENTITY"
  | "REPEATED_ENTITY"
  | "ENTITY_ORDER"
  | "NO_SUBJECT";

export interface BidsNameProblem {
  readonly code: BidsNameProblemCode;
  readonly message: string;
}

/** What {@link parseBidsName} returns: the parts when well-formed, else the problems. */
export type BidsNameResult =
  | { readonly ok: true; readonly name: BidsName }
  | { readonly ok: false; readonly problems: readonly BidsNameProblem[] };

const SUFFIX = /^[A-Za-z0-9]+$/;

/** Splits a file name at its first dot: `sub-01_T1w.nii.gz` -> [`sub-01_T1w`, `.nii.gz`]. */
export function splitExtension(fileName: string): [stem: string, extension: string] {
  const dot = fileName.indexOf(".");
  return dot < 0 ? [fileName, ""] : [fileName.slice(0, dot), fileName.slice(dot)];
}

/**
 * `fileName` without `suffix` when it ends with exactly that text, else undefined. (Unlike
 * Python's `rstrip`, which strips any of the characters and turns `_angio.json` into `_angi`.)
 */
export function withoutSuffix(fileName: string, suffix: string): string | undefined {
  return fileName.endsWith(suffix) ? fileName.slice(0, fileName.length - suffix.length) : undefined;
}

/**
 * Takes a BIDS file name (or a stem without extension) apart. Problems are collected, not
 * thrown: a token without `-` (`label` in `acq-my_label`), a value with `-`, an empty or
 * ill-formed value, a key BIDS does not define, a key given twice, keys out of the BIDS order,
 * a first entity that is not `sub`, a missing suffix.
 */
export function parseBidsName(fileName: string): BidsNameResult {
  const [stem, extension] = splitExtension(fileName);
  const tokens = stem.split("_");
  const problems: BidsNameProblem[] = [];
  const problem = (code: BidsNameProblemCode, message: string) => problems.push({ code, message });
  const suffix = tokens.length > 1 ? (tokens.pop() as string) : "";
  if (!SUFFIX.test(suffix)) {
    problem(
      "NO_SUFFIX",
      suffix === ""
        ? `'${stem}' has no suffix (the last '_'-separated part, such as T1w)`
        : `'${suffix}' is not a suffix: the last part holds only letters and digits`,
    );
  }
  const entities: BidsNameEntity[] = [];
  for (const token of tokens) {
    const dash = token.indexOf("-");
    if (dash < 0) {
      problem(
        "NOT_KEY_VALUE",
        `'${token}' is not a key-value pair (a '_' inside a value, or a missing key)`,
      );
      continue;
    }
    const key = token.slice(0, dash);
    const value = token.slice(dash + 1);
    if (value.includes("-")) {
      problem("DASH_IN_VALUE", `'${token}': the value of ${key}- holds a '-'`);
      continue;
    }
    if (!entityByKey(key)) {
      problem("UNKNOWN_ENTITY", `'${key}' in '${token}' is not a BIDS entity`);
      continue;
    }
    const bad = entityValueProblem(key, value);
    if (bad) {
      problem("BAD_VALUE", bad);
      continue;
    }
    if (entities.some((e) => e.key === key)) {
      problem("REPEATED_ENTITY", `${key}- is given twice`);
      continue;
    }
    entities.push({ key, value });
  }
  if (tokens.length > 0 && !tokens[0]?.startsWith("sub-")) {
    problem("NO_SUBJECT", "the name does not start with a sub- entity");
  }
  for (let i = 1; i < entities.length; i += 1) {
    const before = entities[i - 1] as BidsNameEntity;
    const here = entities[i] as BidsNameEntity;
    if (entityOrder(before.key) > entityOrder(here.key)) {
      problem("ENTITY_ORDER", `${here.key}- must come before ${before.key}- (BIDS entity order)`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, name: { entities, suffix, extension } };
}

/** The value of entity `key` in a name, if it has one. */
export function entityValue(name: BidsName, key: string): string | undefined {
  return name.entities.find((e) => e.key === key)?.value;
}

/** Puts a name together; entities are written in BIDS order whatever their order here. */
export function formatBidsName(name: BidsName): string {
  const sorted = [...name.entities].sort((a, b) => entityOrder(a.key) - entityOrder(b.key));
  return [...sorted.map((e) => `${e.key}-${e.value}`), name.suffix].join("_") + name.extension;
}
