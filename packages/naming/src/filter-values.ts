// What an ImageFilter can ask of one name component, and how a value matches.
import { FilterSyntaxError } from "./errors.js";
import { PyTuple } from "./python-repr.js";

/** The keys a filter may constrain, in the original's order. */
export const FILTER_KEYS = [
  "bodypart",
  "modality",
  "technique",
  "acqdim",
  "orientation",
  "excontrast",
  "extras",
  "tags",
] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];

/** Keys whose image value is a list (`extras`, `tags`); the others hold one string. */
export const LIST_KEYS: readonly FilterKey[] = ["extras", "tags"];

/** What an image holds for a key: a string, or a list for `extras`/`tags`. */
export type ImageValue = string | readonly string[];

/** A function of the image's value; its result counts by Python truthiness (`[]` is false). */
export type FilterPredicate = (value: ImageValue) => unknown;

/** A plain value: a string (equality) or a list (same items in the same order). */
export type PlainValue = string | readonly string[];

/** Operators of the extended filter grammar: `=` with alternatives, `!=`, `~` and `!~`. */
export type ConditionOp = "anyOf" | "not" | "contains" | "lacks";

/**
 * A condition the original lacks, written in filter strings as `modality=T1|T2` (anyOf),
 * `modality!=T2` (not), `extras~ECHO1` (contains) and `extras!~ND` (lacks).
 * `contains` means list membership for `extras`/`tags` and substring for the other keys.
 */
export class FilterCondition {
  readonly op: ConditionOp;
  readonly values: readonly PlainValue[];

  constructor(op: ConditionOp, values: readonly PlainValue[]) {
    const items = op === "contains" || op === "lacks";
    if (!Array.isArray(values) || values.length === 0) {
      throw valueError(`a "${op}" condition needs at least one value`, values);
    }
    for (const value of values) {
      if (items ? typeof value !== "string" : !isPlainValue(value)) {
        throw valueError(
          `"${op}" takes ${items ? "strings" : "strings or lists of strings"}, not ${describe(value)}`,
          value,
        );
      }
    }
    this.op = op;
    this.values = Object.freeze(values.map((v) => (Array.isArray(v) ? Object.freeze([...v]) : v)));
  }

  test(image: ImageValue): boolean {
    switch (this.op) {
      case "anyOf":
        return this.values.some((v) => plainMatches(image, v));
      case "not":
        return !this.values.some((v) => plainMatches(image, v));
      case "contains":
        return this.values.some((v) => holds(image, v));
      case "lacks":
        return !this.values.some((v) => holds(image, v));
    }
  }
}

/** `key=A|B`: the value equals one of `values`. */
export const anyOf = (...values: PlainValue[]) => new FilterCondition("anyOf", values);
/** `key!=A` (or `key!=A|B`): the value equals none of `values`. */
export const not = (...values: PlainValue[]) => new FilterCondition("not", values);
/** `key~A`: a list holds `A` (extras, tags), or a string contains `A`. */
export const contains = (...items: string[]) => new FilterCondition("contains", items);
/** `key!~A`: the opposite of `contains`. */
export const lacks = (...items: string[]) => new FilterCondition("lacks", items);

// `token` is the offending value as text, as for errors in filter strings.
const valueError = (message: string, value: unknown) =>
  new FilterSyntaxError("E_FILTER_VALUE", message, { token: String(value) });

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "a list with non-strings" : typeof value;
}

function isPlainValue(value: unknown): value is PlainValue {
  return (
    typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"))
  );
}

/**
 * Check a value given for a filter key; throws `FilterSyntaxError` `E_FILTER_VALUE` for
 * anything that is not a string, a list of strings, a condition, a tuple or a function.
 */
export function checkFilterValue(key: string, value: unknown): FilterValue {
  if (
    isPlainValue(value) ||
    value instanceof FilterCondition ||
    value instanceof PyTuple ||
    typeof value === "function"
  ) {
    return value as FilterValue;
  }
  throw valueError(
    `${key} must be a string, a list of strings, a condition or a function, not ${describe(value)}`,
    value,
  );
}

/** Everything a filter key may be set to. `PyTuple` exists for compatibility: it never matches. */
export type FilterValue = PlainValue | FilterCondition | FilterPredicate | PyTuple<string>;

function holds(image: ImageValue, item: PlainValue): boolean {
  if (typeof item !== "string") return false;
  return typeof image === "string" ? image.includes(item) : image.includes(item);
}

/** The original's list rule: same length and equal items; a string counts as its characters. */
function sequenceEquals(image: ImageValue, wanted: readonly string[]): boolean {
  const items = typeof image === "string" ? Array.from(image) : image;
  return items.length === wanted.length && items.every((item, i) => item === wanted[i]);
}

function plainMatches(image: ImageValue, wanted: PlainValue): boolean {
  if (typeof wanted === "string") return image === wanted;
  return sequenceEquals(image, wanted);
}

/** Python's `bool()` of a value returned by a predicate. */
function pythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "bigint") return value !== 0n;
  if (typeof value === "string" || Array.isArray(value)) return value.length > 0;
  if (value instanceof PyTuple) return value.items.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  return true;
}

/** Whether an image's value satisfies a filter value (the original's `match_attr`). */
function matchValue(image: ImageValue, wanted: FilterValue): boolean {
  if (typeof wanted === "string" || Array.isArray(wanted)) {
    return plainMatches(image, wanted as PlainValue);
  }
  if (wanted instanceof FilterCondition) return wanted.test(image);
  if (wanted instanceof PyTuple) return false;
  return pythonTruthy((wanted as FilterPredicate)(image));
}

/** `matchValue` specialised to one filter value, for filters run over many images. */
export function valueMatcher(wanted: FilterValue): (image: ImageValue) => boolean {
  if (typeof wanted === "string") return (image) => image === wanted;
  if (Array.isArray(wanted)) return (image) => sequenceEquals(image, wanted as readonly string[]);
  return (image) => matchValue(image, wanted);
}
