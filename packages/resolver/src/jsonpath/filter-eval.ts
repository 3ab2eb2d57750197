// Evaluates a compiled filter on one element, as Jayway's filter nodes do: paths inside the
// filter run through the same traversal as top-level paths, `@` is the element and `$` the
// document being read.
import { Failure } from "./errors.js";
import type { CompiledPath, FilterExpr, FilterOperand } from "./model.js";
import { evaluateOperator } from "./operators.js";
import { evaluatePath, type TraversalContext } from "./traverse.js";
import { fromDocument, UNDEFINED, type ValueNode } from "./value-nodes.js";

/** One read of one document; `requireProperties` is on inside existence tests (as in Jayway). */
export class ReadContext implements TraversalContext {
  /** Values of `$…` paths, computed once per read (Jayway caches them too). */
  private readonly rootValues = new Map<CompiledPath, ValueNode>();

  constructor(
    readonly root: unknown,
    readonly requireProperties = false,
  ) {}

  /** An InvalidPath (or PathNotFound) failure inside the filter rejects the element. */
  accept(filter: FilterExpr, item: unknown): boolean {
    try {
      return this.test(filter, item);
    } catch (error) {
      if (error instanceof Failure && error.isInvalidPath) return false;
      throw error;
    }
  }

  private test(expression: FilterExpr, item: unknown): boolean {
    switch (expression.kind) {
      case "and":
        return expression.operands.every((operand) => this.test(operand, item));
      case "or":
        return expression.operands.some((operand) => this.test(operand, item));
      case "not":
        return !this.test(expression.operand, item);
      case "exists":
        return this.exists(expression.path, item) === expression.shouldExist;
      case "compare": {
        const left = this.operand(expression.left, item);
        const right = this.operand(expression.right, item);
        return evaluateOperator(expression.operator, left, right);
      }
    }
  }

  /**
   * Jayway runs an existence test on the current element, even for a `$…` path, with
   * REQUIRE_PROPERTIES: a definite path must reach a value, an indefinite one exists (even
   * when it yields an empty list, so a nested filter used as a condition is always true)
   * unless a key on the way is missing.
   */
  private exists(path: CompiledPath, item: unknown): boolean {
    try {
      const results = evaluatePath(path, item, new ReadContext(this.root, true));
      return !path.definite || results.length > 0;
    } catch (error) {
      if (error instanceof Failure && error.kind === "PathNotFound") return false;
      throw error;
    }
  }

  private operand(operand: FilterOperand, item: unknown): ValueNode {
    if (operand.kind === "value") return operand.node;
    const { path } = operand;
    if (path.root === "@") return this.pathValue(path, item);
    let value = this.rootValues.get(path);
    if (value === undefined) {
      value = this.pathValue(path, this.root);
      this.rootValues.set(path, value);
    }
    return value;
  }

  /** A definite path gives its value (missing: undefined), an indefinite one the list. */
  private pathValue(path: CompiledPath, document: unknown): ValueNode {
    let results: unknown[];
    try {
      results = evaluatePath(path, document, this);
    } catch (error) {
      if (error instanceof Failure && error.kind === "PathNotFound") return UNDEFINED;
      throw error;
    }
    if (!path.definite) return fromDocument(results);
    return results.length === 0 ? UNDEFINED : fromDocument(results[results.length - 1]);
  }
}
