// Jayway's relational operators (EvaluatorFactory), one function each. An operand of the wrong
// kind is an InvalidPath failure, which makes the whole filter false for that element (Jayway
// catches it in PredicatePathToken.accept); that is why `nin` is not simply "not in" when the
// right side is not a list.
import { Failure } from "./errors.js";
import { compareDecimals, decimalIntValue } from "./java-numbers.js";
import type { RelationalOperator } from "./path-syntax.js";
import {
  isMap,
  type JsonNode,
  jsonNodesEqual,
  listItems,
  nodeEquals,
  regexInput,
  type ValueNode,
} from "./value-nodes.js";

export function evaluateOperator(
  operator: RelationalOperator,
  left: ValueNode,
  right: ValueNode,
): boolean {
  switch (operator) {
    case "==":
      return equals(left, right);
    case "!=":
      return !equals(left, right);
    case "===":
      return left.t === right.t && equals(left, right);
    case "!==":
      return !(left.t === right.t && equals(left, right));
    case "<":
      return order(left, right, (c) => c < 0);
    case "<=":
      return order(left, right, (c) => c <= 0);
    case ">":
      return order(left, right, (c) => c > 0);
    case ">=":
      return order(left, right, (c) => c >= 0);
    case "=~":
      return matchesRegex(left, right);
    case "in":
      return isIn(left, right);
    case "nin":
      return !isIn(left, right);
    case "subsetof":
      return bothLists(left, right, (l, r) =>
        l.every((item) => r.some((o) => nodeEquals(item, o))),
      );
    case "anyof":
      return bothLists(left, right, (l, r) => l.some((item) => r.some((o) => nodeEquals(item, o))));
    case "noneof":
      return bothLists(
        left,
        right,
        (l, r) => !l.some((item) => r.some((o) => nodeEquals(item, o))),
      );
    case "size":
      return hasSize(left, right);
    case "empty":
      return isEmpty(left, right);
    case "contains":
      return contains(left, right);
    case "all":
      // Jayway requires a ValueListNode on the right, which only its Java Criteria API builds;
      // an array written in filter text is a JSON node, so `all` never holds.
      throw expected("value list");
    case "exists":
      if (left.t !== "boolean" && right.t !== "boolean") {
        throw new Failure("JsonPath", "Failed to evaluate exists expression");
      }
      return asBoolean(left) === asBoolean(right);
  }
}

const expected = (what: string) => new Failure("InvalidPath", `Expected ${what} node`);

function asBoolean(node: ValueNode): boolean {
  if (node.t !== "boolean") throw expected("boolean");
  return node.value;
}

/** The elements of a JSON node; undefined if it is not an array; no list at all → failure. */
function valueList(node: ValueNode): readonly ValueNode[] | undefined {
  if (node.t !== "json") throw expected("value list");
  return listItems(node);
}

function equals(left: ValueNode, right: ValueNode): boolean {
  if (left.t === "json" && right.t === "json") return jsonNodesEqual(left, right);
  return nodeEquals(left, right);
}

/** Numbers with numbers, strings with strings (UTF-16 order, as Java); anything else false. */
function order(left: ValueNode, right: ValueNode, test: (comparison: number) => boolean): boolean {
  if (left.t === "number" && right.t === "number") {
    return test(compareDecimals(left.decimal, right.decimal));
  }
  if (left.t === "string" && right.t === "string") {
    if (left.value === right.value) return test(0);
    return test(left.value < right.value ? -1 : 1);
  }
  return false;
}

/** Exactly one side is a regex; a JSON array on the other side matches if any element does. */
function matchesRegex(left: ValueNode, right: ValueNode): boolean {
  const pattern = left.t === "pattern" ? left : right.t === "pattern" ? right : null;
  if (pattern === null || (left.t === "pattern" && right.t === "pattern")) return false;
  const value = pattern === left ? right : left;
  if (value.t === "json" && Array.isArray(value.value)) {
    return (listItems(value) ?? []).some((item) => pattern.matches(regexInput(item)));
  }
  return pattern.matches(regexInput(value));
}

function isIn(left: ValueNode, right: ValueNode): boolean {
  return valueList(right)?.some((item) => nodeEquals(left, item)) ?? false;
}

/** Right side converted first, as Jayway does; a non-array JSON node on either side → false. */
function bothLists(
  left: ValueNode,
  right: ValueNode,
  test: (left: readonly ValueNode[], right: readonly ValueNode[]) => boolean,
): boolean {
  const rightList = valueList(right);
  if (rightList === undefined) return false;
  const leftList = valueList(left);
  if (leftList === undefined) return false;
  return test(leftList, rightList);
}

function hasSize(left: ValueNode, right: ValueNode): boolean {
  if (right.t !== "number") return false;
  const size = decimalIntValue(right.decimal);
  if (left.t === "string") return left.value.length === size;
  if (left.t === "json") return (Array.isArray(left.value) ? left.value.length : -1) === size;
  return false;
}

function isEmpty(left: ValueNode, right: ValueNode): boolean {
  if (left.t === "string") return (left.value.length === 0) === asBoolean(right);
  if (left.t === "json") return jsonIsEmpty(left) === asBoolean(right);
  return false;
}

function jsonIsEmpty(node: JsonNode): boolean {
  if (Array.isArray(node.value)) return node.value.length === 0;
  return isMap(node.value) ? Object.keys(node.value).length === 0 : true;
}

/** Substring for two strings; membership (`right.equals(element)`) for a JSON array. */
function contains(left: ValueNode, right: ValueNode): boolean {
  if (left.t === "string" && right.t === "string") return left.value.includes(right.value);
  if (left.t !== "json") return false;
  return listItems(left)?.some((item) => nodeEquals(right, item)) ?? false;
}
