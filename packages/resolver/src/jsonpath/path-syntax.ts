// Jayway path text -> syntax tree. The command-schema filter grammar already covers paths (they
// appear inside filters), so a whole path is parsed as the existence test `$…`: one grammar for
// top-level paths and filter sub-paths, and no second parser to keep in step.
import { type FilterExpression, FilterSyntaxError, parseFilter } from "@xcs/command-schema";
import { invalidPath } from "./errors.js";

type Comparison = Extract<FilterExpression, { kind: "comparison" }>;
export type RelationalOperator = Comparison["operator"];
export type OperandSyntax = Comparison["left"];
export type PathSyntax = Extract<OperandSyntax, { kind: "path" }>;
export type SegmentSyntax = PathSyntax["segments"][number];
export type ValueSyntax = Exclude<OperandSyntax, PathSyntax | { kind: "regex" }>;

/** Java's `String.trim()`: every char up to U+0020, not Unicode spaces. */
export function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/**
 * Parses a path as `JsonPath.compile` reads it: trimmed, `$.` prepended when it starts with
 * neither `$` nor `@`, and no trailing `.`. Throws an InvalidPath failure.
 */
export function parsePathText(text: string): PathSyntax {
  let path = javaTrim(text);
  if (path === "") throw invalidPath("Path must not be empty");
  if (path[0] !== "$" && path[0] !== "@") path = `$.${path}`;
  if (path.endsWith(".")) throw invalidPath("Path must not end with a '.' or '..'");
  let parsed: FilterExpression;
  try {
    parsed = parseFilter(path);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidPath(error.message);
    throw error;
  }
  const whole = parsed.span.start === 0 && parsed.span.end === path.length;
  if (parsed.kind !== "exists" || parsed.negated || !whole) {
    throw invalidPath(`Could not parse path: ${path}`);
  }
  return parsed.path;
}

/** Jayway's `isPath` test on a string list element: a compilable path starting with $ or @. */
export function looksLikePath(text: string): boolean {
  const trimmed = javaTrim(text);
  if (trimmed[0] !== "$" && trimmed[0] !== "@") return false;
  try {
    parsePathText(trimmed);
    return true;
  } catch {
    return false;
  }
}
