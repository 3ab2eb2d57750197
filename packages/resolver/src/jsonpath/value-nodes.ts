// The values a Jayway filter compares (its ValueNode classes) and their equality, which is
// Java's `left.equals(right)`: asymmetric between strings and numbers, never true for a
// missing value, and never true between a collection and a scalar.
import { Failure } from "./errors.js";
import {
  compareDecimals,
  type Decimal,
  decimalToString,
  javaNumberText,
  parseDecimal,
} from "./java-numbers.js";
import { javaTrim, looksLikePath } from "./path-syntax.js";

export type ValueNode =
  | { readonly t: "string"; readonly value: string }
  | { readonly t: "number"; readonly decimal: Decimal }
  | { readonly t: "boolean"; readonly value: boolean }
  | { readonly t: "null" }
  | { readonly t: "undefined" }
  | JsonNode
  | { readonly t: "pattern"; readonly matches: (input: string) => boolean }
  /** A list element Jayway turns into a path or JSON-text node, or an unresolved template. */
  | { readonly t: "opaque" };

/** An array or object: a path result (`literal: false`) or an array written in the filter. */
export interface JsonNode {
  readonly t: "json";
  readonly value: unknown;
  readonly literal: boolean;
  /** Memoised list elements of a literal (literals never change). */
  items?: readonly ValueNode[];
}

export const NULL: ValueNode = { t: "null" };
export const UNDEFINED: ValueNode = { t: "undefined" };
export const OPAQUE: ValueNode = { t: "opaque" };
export const TRUE: ValueNode = { t: "boolean", value: true };
export const FALSE: ValueNode = { t: "boolean", value: false };

export const stringNode = (value: string): ValueNode => ({ t: "string", value });

export function numberNode(text: string): ValueNode {
  const decimal = parseDecimal(text);
  if (decimal === null) throw new Failure("JsonPath", `Could not convert ${text} to a number`);
  return { t: "number", decimal };
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** What a path value becomes in a filter (Jayway's PathNode.evaluate conversion). */
export function fromDocument(value: unknown): ValueNode {
  switch (typeof value) {
    case "string":
      return stringNode(value);
    case "number":
      return numberNode(javaNumberText(value));
    case "bigint":
      return numberNode(String(value));
    case "boolean":
      return value ? TRUE : FALSE;
    case "object":
      return value === null ? NULL : { t: "json", value, literal: false };
    default:
      throw new Failure("JsonPath", `Could not convert ${typeof value} to a ValueNode`);
  }
}

/**
 * The elements of a JSON array node (Jayway's `asValueListNode(ctx)`); undefined when the node
 * is not an array (Jayway's UNDEFINED, which makes `in`, `contains` and friends false).
 */
export function listItems(node: JsonNode): readonly ValueNode[] | undefined {
  if (!Array.isArray(node.value)) return undefined;
  if (node.items) return node.items;
  const items = node.value.map(toListItem);
  if (node.literal) node.items = items;
  return items;
}

/**
 * Jayway's `ValueNode.toValueNode` for a list element: strings that compile as a path or look
 * like JSON text become nodes equal to nothing; other strings lose surrounding quotes and are
 * unescaped; nested arrays or objects make the whole evaluation fail.
 */
export function toListItem(value: unknown): ValueNode {
  if (value === null) return NULL;
  if (typeof value === "symbol") return OPAQUE;
  if (typeof value === "string") {
    const first = javaTrim(value).charAt(0);
    if ((first === "$" || first === "@") && looksLikePath(value)) return OPAQUE;
    if ((first === "[" || first === "{") && looksLikeJson(value)) return OPAQUE;
    return stringNode(javaUnescape(stripQuotes(value)));
  }
  if (typeof value === "object") throw new Failure("JsonPath", "Could not determine value type");
  return fromDocument(value);
}

function looksLikeJson(text: string): boolean {
  const t = javaTrim(text);
  if (t.length <= 1) return false;
  const pair = t.charAt(0) + t.charAt(t.length - 1);
  if (pair !== "[]" && pair !== "{}") return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

function stripQuotes(text: string): string {
  if (text.length < 2) return text;
  const pair = text.charAt(0) + text.charAt(text.length - 1);
  return pair === "''" || pair === '""' ? text.slice(1, -1) : text;
}

const UNESCAPES: Readonly<Record<string, string>> = {
  r: "\r",
  f: "\f",
  t: "\t",
  n: "\n",
  b: "\b",
};

/** Jayway's `Utils.unescape`: `\n`-style escapes, `\uXXXX`, any other `\c` is `c`. */
function javaUnescape(text: string): string {
  if (!text.includes("\\")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c !== "\\" || i === text.length - 1) {
      out += c;
      continue;
    }
    const next = text.charAt(++i);
    if (next === "u") {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new Failure("JsonPath", `Unable to parse unicode value: ${hex}`);
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else {
      out += UNESCAPES[next] ?? next;
    }
  }
  return out;
}

/** Java's `a.equals(b)` between two filter values. */
export function nodeEquals(a: ValueNode, b: ValueNode): boolean {
  switch (a.t) {
    case "string":
      if (b.t === "string") return a.value === b.value;
      return b.t === "number" && a.value === decimalToString(b.decimal);
    case "number": {
      if (b.t === "number") return compareDecimals(a.decimal, b.decimal) === 0;
      if (b.t !== "string") return false;
      const other = parseDecimal(b.value);
      return other !== null && compareDecimals(a.decimal, other) === 0;
    }
    case "boolean":
      return b.t === "boolean" && a.value === b.value;
    case "null":
      return b.t === "null";
    case "json":
      if (b.t !== "json") return false;
      if (a.literal || b.literal) return a === b;
      return deepEqual(a.value, b.value);
    default:
      return a === b; // undefined never; patterns and opaque nodes only to themselves
  }
}

/**
 * `==` between two JSON nodes compares the left node's value with the right one parsed, so a
 * literal array on the left (still text in Jayway) equals nothing.
 */
export function jsonNodesEqual(a: JsonNode, b: JsonNode): boolean {
  if (a === b) return true;
  return !a.literal && deepEqual(a.value, b.value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (!isMap(a) || !isMap(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}

/** The text `=~` matches a value against (Jayway's RegexpEvaluator.getInput). */
export function regexInput(node: ValueNode): string {
  if (node.t === "string") return node.value;
  if (node.t === "number") return decimalToString(node.decimal);
  if (node.t === "boolean") return String(node.value);
  return "";
}
