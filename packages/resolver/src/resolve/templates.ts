// XCS's templates (spec 3.9): one `^...^` JSONPath substring per string, then the literal
// replacement of every key of a value map.
import { isBlank, javaHashSetOrder, javaList } from "@xcs/command-schema";
import { readJsonPathList } from "../jsonpath/index.js";
import { ResolutionError } from "./errors.js";
import type { Quirks } from "./quirks.js";

/** Replacement key → value, in insertion order. A null value replaces the key by "". */
export type ValueMap = Map<string, string | null>;

/** What `^...^` and `^wrapper:...^` search. */
export interface JsonPathTargets {
  /** The wrapper as XCS serialises it (kebab-case keys, no label). */
  wrapper: unknown;
  /** The command's JSON; XCS serialises an unannotated class here, which gives `{}`. */
  command: unknown;
}

// Java's `.` stops at line terminators; `find()` takes the first, greedy match.
const MARKER = /\^(wrapper:)?([^\n\r\u0085\u2028\u2029]+)\^/;

/** `resolveJsonpathSubstring`: evaluates the first `^...^` marker of `text`. */
export function substituteJsonPath(text: string, targets: JsonPathTargets): string {
  const match = MARKER.exec(text);
  if (match === null) return text;
  const [marker, wrapperPrefix, path] = match as unknown as [string, string | undefined, string];
  const results = readJsonPathList(wrapperPrefix ? targets.wrapper : targets.command, path);
  if (results.length === 0 || results[0] === null || results[0] === undefined) return text;
  if (results.length > 1) {
    throw new ResolutionError(
      `JSONPath search "${path}" returned multiple results: ${javaList(results.map(javaText))}. Cannot determine value to replace.`,
    );
  }
  const [result] = results;
  if (typeof result !== "string") {
    throw new ResolutionError(
      `JSONPath search "${path}" returned ${javaText(result)}, which is not a string.`,
    );
  }
  return text.split(marker).join(result);
}

function javaText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `resolveTemplate`: the template with its `^...^` marker evaluated and every key replaced. */
export function resolveTemplate(
  template: string,
  values: ValueMap,
  targets: JsonPathTargets,
  quirks: Quirks,
): string {
  if (isBlank(template)) return template;
  if (values.size === 0 && !quirks.evaluateJsonPathWithEmptyMap) return template;
  const text = substituteJsonPath(template, targets);
  return quirks.longestKeyFirst
    ? replaceLongestFirst(text, values)
    : replaceInJavaOrder(text, values);
}

/** Literal, sequential replacement in Java `HashMap` iteration order (values are re-scanned). */
function replaceInJavaOrder(text: string, values: ValueMap): string {
  let out = text;
  for (const key of javaHashSetOrder(values.keys())) {
    if (key === "") continue;
    out = out.split(key).join(values.get(key) ?? "");
  }
  return out;
}

/** One pass over the text; at each position the longest key wins. */
function replaceLongestFirst(text: string, values: ValueMap): string {
  const pattern = keyAlternation([...values.keys()]);
  return pattern === undefined ? text : text.replace(pattern, (key) => values.get(key) ?? "");
}

/** A global pattern matching any of `keys` literally, the longest key first at each place. */
export function keyAlternation(keys: readonly string[]): RegExp | undefined {
  const literal = keys.filter((key) => key !== "").sort((a, b) => b.length - a.length);
  if (literal.length === 0) return undefined;
  return new RegExp(
    literal.map((key) => key.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")).join("|"),
    "g",
  );
}

/** A map with every key and value templated (environment variables, ports, labels). */
export function templatedMap(
  map: Readonly<Record<string, string>>,
  template: (text: string) => string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => [template(key), template(value)]),
  );
}

/** A templated container name; blank means "let the engine choose" (null). */
export function containerNameOf(
  name: string | null,
  template: (text: string) => string,
): string | null {
  const resolved = name === null ? null : template(name);
  return resolved === null || resolved.trim() === "" ? null : resolved;
}
