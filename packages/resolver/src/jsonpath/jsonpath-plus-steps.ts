// The traversal steps delegated to jsonpath-plus: the fan-out steps whose results and order
// are the same as Jayway's. jsonpath-plus never sees filter text: array filtering is the fixed
// path `$[?(jayway)]` with an `eval` callback that runs our compiled Jayway filter on the
// current element (`_$_v`), so its tokenizer and script engines are never involved. (A path
// ARRAY would not avoid the tokenizer: jsonpath-plus turns arrays back into strings.)
//
// What jsonpath-plus cannot do the Jayway way is done in traverse.ts: a filter on an object
// tests the object itself (`$[?(…)]` on the root), a filter on a primitive is an error, a
// missing key in a definite path is PathNotFound, negative indexes count from the end, and
// `length` or digit keys are not properties of arrays and strings.
import { JSONPath } from "jsonpath-plus";

/** The values of an object's own keys, or an array's elements, in order (`$.*`). */
export function children(container: object): unknown[] {
  return JSONPath({ path: "$.*", json: container, eval: false, wrap: true });
}

/**
 * `container` and every object and array below it, in pre-order: the nodes Jayway's deep scan
 * visits (`$..` yields them in that order).
 */
export function containers(container: object): object[] {
  const nodes: unknown[] = JSONPath({ path: "$..", json: container, eval: false, wrap: true });
  return nodes.filter((node): node is object => node !== null && typeof node === "object");
}

const SCRIPT = "jayway";
const FILTER_PATH = `$[?(${SCRIPT})]`;

/** What jsonpath-plus hands the eval callback: our fields plus its `_$_v` (current element). */
interface Sandbox {
  accept: (item: unknown) => boolean;
  failure?: { error: unknown };
  _$_v?: unknown;
}

/**
 * jsonpath-plus's `eval` callback. An exception would come out of jsonpath-plus re-wrapped as
 * a plain Error, so it is kept in the sandbox and rethrown by `filterArray`.
 */
function runFilter(code: string, sandbox: Sandbox): boolean {
  if (code !== SCRIPT || sandbox.failure) return false;
  try {
    return sandbox.accept(sandbox._$_v);
  } catch (error) {
    sandbox.failure = { error };
    return false;
  }
}

/**
 * What jsonpath-plus is given as `eval`: module-level, so its script cache holds one entry,
 * and with short source text, because jsonpath-plus builds that cache key from the callback's
 * source for every element it filters.
 */
const evalCallback = (c: string, s: object) => runFilter(c, s as Sandbox);

/** The elements of `array` that `accept` keeps, in order. */
export function filterArray(array: unknown[], accept: (item: unknown) => boolean): unknown[] {
  const sandbox: Sandbox = { accept };
  const kept: unknown[] = JSONPath({
    path: FILTER_PATH,
    json: array,
    eval: evalCallback,
    // The typings say Map; jsonpath-plus actually assigns properties to a plain object.
    sandbox: sandbox as unknown as Map<string, unknown>,
    wrap: true,
  });
  if (sandbox.failure) throw sandbox.failure.error;
  return kept;
}
