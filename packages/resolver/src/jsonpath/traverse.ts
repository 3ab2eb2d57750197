// Runs a compiled path over a document with Jayway's PathToken rules: what a missing key, a
// wrong type or an out-of-range index means depends on whether every token before it is
// definite (then it is PathNotFound or InvalidPath) or not (then that branch yields nothing).
import { invalidPath, pathNotFound } from "./errors.js";
import { javaNumberText } from "./java-numbers.js";
import { children, containers, filterArray } from "./jsonpath-plus-steps.js";
import { type CompiledPath, type FilterExpr, pathText, type Token } from "./model.js";
import { isMap } from "./value-nodes.js";

/** What a traversal needs from the surrounding read. */
export interface TraversalContext {
  /** The document `$` refers to inside filters. */
  readonly root: unknown;
  /** Jayway's REQUIRE_PROPERTIES: a missing key fails even in an indefinite path. */
  readonly requireProperties: boolean;
  /** Jayway's PredicatePathToken.accept: does `item` pass the filter? */
  accept(filter: FilterExpr, item: unknown): boolean;
}

/** Every value the path reaches from `document`, in Jayway's order. */
export function evaluatePath(
  path: CompiledPath,
  document: unknown,
  context: TraversalContext,
): unknown[] {
  const results: unknown[] = [];
  new Walk(path, context, results).step(0, document);
  return results;
}

const PROVIDER = "com.jayway.jsonpath.spi.json.JacksonJsonProvider";
const FUNCTIONS_ELSEWHERE = new Set([
  "avg",
  "stddev",
  "sum",
  "min",
  "max",
  "concat",
  "append",
  "first",
  "last",
  "index",
]);

class Walk {
  private readonly last: number;

  constructor(
    private readonly path: CompiledPath,
    private readonly context: TraversalContext,
    private readonly results: unknown[],
  ) {
    this.last = path.tokens.length - 1;
  }

  step(i: number, model: unknown): void {
    const token = this.path.tokens[i];
    if (token === undefined) {
      this.results.push(model);
      return;
    }
    switch (token.kind) {
      case "property":
        this.property(i, token.names, model);
        break;
      case "wildcard":
        if (model !== null && typeof model === "object") {
          for (const child of children(model)) if (child !== undefined) this.step(i + 1, child);
        }
        break;
      case "index":
        if (this.isArrayModel(i, model))
          for (const index of token.indexes) this.item(i, model, index);
        break;
      case "slice":
        this.slice(i, token, model);
        break;
      case "filter":
        this.filter(i, token.expression, model);
        break;
      case "scan":
        this.scan(i, model);
        break;
      case "function":
        this.step(i + 1, applyFunction(token.name, model));
        break;
    }
  }

  private property(i: number, names: readonly string[], model: unknown): void {
    if (!isMap(model)) {
      if (!this.path.upstreamDefinite[i]) return;
      throw pathNotFound(
        `Expected to find an object with property ${this.path.fragments[i]} in path ` +
          `${pathText(this.path, i)} but found '${javaClassName(model)}'. This is not a json ` +
          `object according to the JsonProvider: '${PROVIDER}'.`,
      );
    }
    if (names.length > 1 && i === this.last) this.merge(i, names, model);
    else for (const name of names) this.propertyValue(i, name, model);
  }

  private propertyValue(i: number, name: string, model: Record<string, unknown>): void {
    const value = Object.hasOwn(model, name) ? model[name] : undefined;
    if (value !== undefined) {
      this.step(i + 1, value);
      return;
    }
    const { requireProperties } = this.context;
    const at = () => `${pathText(this.path, i)}['${name}']`;
    if (i === this.last) {
      if (requireProperties) throw pathNotFound(`No results for path: ${at()}`);
      return;
    }
    const definiteHere = this.path.upstreamDefinite[i] && this.path.tokenDefinite[i];
    if (definiteHere || requireProperties) throw pathNotFound(`Missing property in path ${at()}`);
  }

  /** A last `['a','b']` yields one object with the keys that exist. */
  private merge(i: number, names: readonly string[], model: Record<string, unknown>): void {
    const merged: Record<string, unknown> = {};
    for (const name of names) {
      const value = Object.hasOwn(model, name) ? model[name] : undefined;
      if (value !== undefined) merged[name] = value;
      else if (this.context.requireProperties) {
        throw pathNotFound(`Missing property in path ${pathText(this.path, i + 1)}`);
      }
    }
    this.step(i + 1, merged);
  }

  /** Jayway's checkArrayModel: null or a non-array fails only after definite tokens. */
  private isArrayModel(i: number, model: unknown): model is unknown[] {
    if (Array.isArray(model)) return true;
    if (!this.path.upstreamDefinite[i]) return false;
    if (model === null || model === undefined) {
      throw pathNotFound(`The path ${pathText(this.path, i)} is null`);
    }
    throw pathNotFound(
      `Filter: ${this.path.fragments.slice(i).join("")} can only be applied to arrays. ` +
        `Current context is: ${javaText(model)}`,
    );
  }

  /** Jayway's handleArrayIndex: negative counts from the end, out of range yields nothing. */
  private item(i: number, array: unknown[], index: number): void {
    const effective = index < 0 ? array.length + index : index;
    if (effective >= 0 && effective < array.length) this.step(i + 1, array[effective]);
  }

  /** Jayway's three slice forms, ported as they are (`[a:b]` does not wrap a negative `a`). */
  private slice(
    i: number,
    { from, to }: { from: number | null; to: number | null },
    model: unknown,
  ): void {
    if (!this.isArrayModel(i, model)) return;
    const length = model.length;
    if (length === 0) return;
    let start = 0;
    let end = length;
    if (to === null) {
      start = Math.max(0, from !== null && from < 0 ? length + from : (from ?? 0));
    } else if (from === null) {
      end = Math.min(length, to < 0 ? length + to : to);
    } else {
      start = from;
      end = Math.min(length, to);
    }
    for (let k = start; k < end; k++) this.item(i, model, k);
  }

  /** Objects are tested themselves, arrays element by element, primitives are an error. */
  private filter(i: number, expression: FilterExpr, model: unknown): void {
    if (isMap(model)) {
      if (this.context.accept(expression, model)) this.step(i + 1, model);
      return;
    }
    if (Array.isArray(model)) {
      const kept = filterArray(model, (item) => this.context.accept(expression, item));
      for (const item of kept) this.step(i + 1, item);
      return;
    }
    if (this.path.upstreamDefinite[i]) {
      throw invalidPath(
        `Filter: ${this.path.fragments.slice(i).join("")} can not be applied to primitives. ` +
          `Current context is: ${javaText(model)}`,
      );
    }
  }

  /**
   * Deep scan: the next token is applied to every object and array at or below `model` that
   * could satisfy it. As in Jayway, a matching array followed by more tokens hands its
   * elements straight to the rest of the path when the next token is `*` or a filter. After an
   * index or slice the index is applied (Jayway's own handling of that case is inconsistent).
   */
  private scan(i: number, model: unknown): void {
    const next = this.path.tokens[i + 1];
    if (next === undefined || model === null || typeof model !== "object") return;
    const skipsToken = i + 1 < this.last && (next.kind === "wildcard" || next.kind === "filter");
    for (const node of containers(model)) {
      if (!this.scanMatches(i + 1, next, node)) continue;
      if (Array.isArray(node) && skipsToken) {
        for (const element of node) this.step(i + 2, element);
      } else {
        this.step(i + 1, node);
      }
    }
  }

  private scanMatches(j: number, token: Token, node: object): boolean {
    switch (token.kind) {
      case "property":
        if (!isMap(node)) return false;
        return (
          !this.path.tokenDefinite[j] || token.names.every((name) => Object.hasOwn(node, name))
        );
      case "index":
      case "slice":
        return Array.isArray(node);
      case "wildcard":
        return true;
      case "filter":
        return this.context.accept(token.expression, node);
      default:
        return false;
    }
  }
}

/** The path functions XCS documents could use; Jayway's math and text ones are not offered. */
function applyFunction(name: string, model: unknown): unknown {
  switch (name) {
    case "length":
    case "size":
      if (Array.isArray(model)) return model.length;
      return isMap(model) ? Object.keys(model).length : null;
    case "keys":
      return isMap(model) ? Object.keys(model) : null;
    default:
      if (FUNCTIONS_ELSEWHERE.has(name))
        throw invalidPath(`Path function ${name}() is not supported`);
      throw invalidPath(`Function with name: ${name} does not exist.`);
  }
}

function javaClassName(model: unknown): string {
  if (model === null || model === undefined) return "null";
  if (Array.isArray(model)) return "java.util.ArrayList";
  switch (typeof model) {
    case "string":
      return "java.lang.String";
    case "boolean":
      return "java.lang.Boolean";
    case "number":
      return /[.E]/.test(javaNumberText(model)) ? "java.lang.Double" : "java.lang.Integer";
    default:
      return "java.util.LinkedHashMap";
  }
}

/** Roughly Java's `toString()` of a value, for messages. */
function javaText(model: unknown): string {
  if (typeof model === "string") return model;
  if (typeof model === "number") return javaNumberText(model);
  return JSON.stringify(model) ?? String(model);
}
