// Compiled paths and filters: Jayway's path tokens and filter expression tree, ready to run.
import type { RelationalOperator } from "./path-syntax.js";
import type { ValueNode } from "./value-nodes.js";

export type Token =
  /** `.a` / `['a']`, or `['a','b']`: merged into one object when last, iterated otherwise. */
  | { readonly kind: "property"; readonly names: readonly string[] }
  | { readonly kind: "wildcard" }
  | { readonly kind: "index"; readonly indexes: readonly number[] }
  | { readonly kind: "slice"; readonly from: number | null; readonly to: number | null }
  | { readonly kind: "filter"; readonly expression: FilterExpr }
  /** `..`: the token after it is applied to every object and array below (deep scan). */
  | { readonly kind: "scan" }
  | { readonly kind: "function"; readonly name: string };

export interface CompiledPath {
  readonly root: "$" | "@";
  readonly tokens: readonly Token[];
  /** Jayway's `isTokenDefinite` per token. */
  readonly tokenDefinite: readonly boolean[];
  /** Jayway's `isUpstreamDefinite` per token: every token before it is definite. */
  readonly upstreamDefinite: readonly boolean[];
  /** Definite paths read one value (missing → PathNotFound); others a list. */
  readonly definite: boolean;
  /** Ends in a function such as `length()` (rejected with ALWAYS_RETURN_LIST). */
  readonly functionPath: boolean;
  /** Jayway's normalised text per token (`['scans']`, `[?]`, `..`), for messages. */
  readonly fragments: readonly string[];
}

export type FilterExpr =
  | { readonly kind: "and" | "or"; readonly operands: readonly FilterExpr[] }
  | { readonly kind: "not"; readonly operand: FilterExpr }
  /** `@.x` (shouldExist) or `!@.x`. */
  | { readonly kind: "exists"; readonly path: CompiledPath; readonly shouldExist: boolean }
  | {
      readonly kind: "compare";
      readonly operator: RelationalOperator;
      readonly left: FilterOperand;
      readonly right: FilterOperand;
    };

export type FilterOperand =
  | { readonly kind: "path"; readonly path: CompiledPath }
  | { readonly kind: "value"; readonly node: ValueNode };

/** Jayway's `path.toString()` up to (not including) token `end`. */
export function pathText(path: CompiledPath, end = path.tokens.length): string {
  return path.root + path.fragments.slice(0, end).join("");
}
