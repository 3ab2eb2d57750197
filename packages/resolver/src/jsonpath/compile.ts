// Path text -> CompiledPath: the parsed syntax becomes Jayway's token chain (with each token's
// definiteness worked out once) and filter bodies become expression trees with their literals
// and regexes prepared, so evaluating the same matcher on many objects does no parsing.
import type { FilterExpression } from "@xcs/command-schema";
import { invalidPath } from "./errors.js";
import { javaDoubleToString } from "./java-numbers.js";
import { compileJavaRegex } from "./java-regex.js";
import type { CompiledPath, FilterExpr, FilterOperand, Token } from "./model.js";
import {
  type OperandSyntax,
  type PathSyntax,
  parsePathText,
  type SegmentSyntax,
  type ValueSyntax,
} from "./path-syntax.js";
import {
  FALSE,
  type JsonNode,
  NULL,
  numberNode,
  OPAQUE,
  stringNode,
  TRUE,
  toListItem,
  type ValueNode,
} from "./value-nodes.js";

/** Compiles Jayway path text; throws an InvalidPath failure. */
export function compilePath(text: string): CompiledPath {
  return compilePathSyntax(parsePathText(text));
}

function compilePathSyntax(syntax: PathSyntax): CompiledPath {
  const tokens: Token[] = [];
  for (const segment of syntax.segments) {
    if (segment.descendant) tokens.push({ kind: "scan" });
    tokens.push(compileSegment(segment));
  }
  if (syntax.function) tokens.push({ kind: "function", name: syntax.function.name });
  const last = tokens.length - 1;
  const tokenDefinite = tokens.map((token, i) => isTokenDefinite(token, i === last));
  const upstreamDefinite: boolean[] = [];
  let definite = true;
  for (const tokenIsDefinite of tokenDefinite) {
    upstreamDefinite.push(definite);
    definite &&= tokenIsDefinite;
  }
  return {
    root: syntax.root,
    tokens,
    tokenDefinite,
    upstreamDefinite,
    definite,
    functionPath: tokens[last]?.kind === "function",
    fragments: tokens.map(fragment),
  };
}

function compileSegment(segment: SegmentSyntax): Token {
  switch (segment.kind) {
    case "property":
      return { kind: "property", names: segment.names };
    case "wildcard":
      return { kind: "wildcard" };
    case "index":
      return { kind: "index", indexes: segment.indexes };
    case "slice":
      if (segment.start === null && segment.end === null) {
        throw invalidPath("Failed to parse SliceOperation: :");
      }
      return { kind: "slice", from: segment.start, to: segment.end };
    case "filter":
      return { kind: "filter", expression: compileExpression(segment.expression) };
  }
}

/** Jayway: a leaf `['a','b']` merges into one object, so it is definite; an iterated one is not. */
function isTokenDefinite(token: Token, leaf: boolean): boolean {
  switch (token.kind) {
    case "property":
      return token.names.length === 1 || leaf;
    case "index":
      return token.indexes.length === 1;
    case "function":
      return true;
    default:
      return false;
  }
}

function fragment(token: Token): string {
  switch (token.kind) {
    case "property":
      return `[${token.names.map((name) => `'${name}'`).join(",")}]`;
    case "wildcard":
      return "[*]";
    case "index":
      return `[${token.indexes.join(",")}]`;
    case "slice":
      return `[${token.from ?? ""}:${token.to ?? ""}]`;
    case "filter":
      return "[?]";
    case "scan":
      return "..";
    case "function":
      return `.${token.name}()`;
  }
}

function compileExpression(expression: FilterExpression): FilterExpr {
  switch (expression.kind) {
    case "and":
    case "or":
      return { kind: expression.kind, operands: expression.operands.map(compileExpression) };
    case "not":
      return { kind: "not", operand: compileExpression(expression.operand) };
    case "exists":
      return {
        kind: "exists",
        path: compilePathSyntax(expression.path),
        shouldExist: !expression.negated,
      };
    case "comparison":
      return {
        kind: "compare",
        operator: expression.operator,
        left: compileOperand(expression.left),
        right: compileOperand(expression.right),
      };
  }
}

function compileOperand(operand: OperandSyntax): FilterOperand {
  if (operand.kind === "path") return { kind: "path", path: compilePathSyntax(operand) };
  if (operand.kind === "regex") {
    return {
      kind: "value",
      node: { t: "pattern", matches: compileJavaRegex(operand.pattern, operand.flags) },
    };
  }
  return { kind: "value", node: compileValue(operand) };
}

function compileValue(value: ValueSyntax): ValueNode {
  switch (value.kind) {
    case "string":
      return stringNode(value.value);
    case "number":
      return numberNode(value.raw);
    case "boolean":
      return value.value ? TRUE : FALSE;
    case "null":
      return NULL;
    case "array":
      return arrayLiteral(value);
    case "placeholder":
      // Jayway reads `#…#` where a value belongs as a malformed number.
      throw invalidPath(`Unresolved template #${value.name}# where a value was expected`);
    case "substitution":
      throw invalidPath(`Unresolved ^${value.path}^ substitution where a value was expected`);
  }
}

type ArraySyntax = Extract<ValueSyntax, { kind: "array" }>;

/**
 * A JSON array written in the filter. Its elements are prepared once, as Jayway's json-smart
 * parse and list conversion would make them: integers keep their digits, decimals become
 * doubles, and unresolved templates (left inside `[…]` when a `^…^` search found nothing)
 * equal nothing, so `in [^wrapper:…^]` matches no object instead of failing.
 */
function arrayLiteral(array: ArraySyntax): JsonNode {
  const node: JsonNode = { t: "json", value: arrayValue(array), literal: true };
  if (array.elements.every((element) => element.kind !== "array")) {
    try {
      node.items = array.elements.map(literalItem);
    } catch {
      // Leave it to evaluation time, where Jayway fails too.
    }
  }
  return node;
}

function arrayValue(array: ArraySyntax): unknown[] {
  return array.elements.map((element) => {
    switch (element.kind) {
      case "array":
        return arrayValue(element);
      case "number":
        return Number(element.raw);
      case "null":
        return null;
      case "placeholder":
      case "substitution":
        return Symbol("unresolved template");
      default:
        return element.value;
    }
  });
}

function literalItem(element: ValueSyntax): ValueNode {
  switch (element.kind) {
    case "number":
      return numberNode(
        /^-?\d+$/.test(element.raw) ? element.raw : javaDoubleToString(Number(element.raw)),
      );
    case "placeholder":
    case "substitution":
      return OPAQUE;
    case "string":
      return toListItem(element.value);
    default:
      return compileValue(element);
  }
}
