import { describe, expect, it } from "vitest";
import { loadVectors, random } from "../../test/support.js";
import {
  type ComparisonExpression,
  type ExistsExpression,
  type FilterExpression,
  FilterSyntaxError,
  MAX_FILTER_DEPTH,
  type Operand,
  type PathNode,
  parseFilter,
  tryParseFilter,
} from "./filter-parser.js";

// ---- conformance vectors ----------------------------------------------------------------

interface VectorCase {
  id: string;
  matcher: string;
  expected: { error?: string; messageStartsWith?: string };
}

/** Cases that carry a matcher; null when the vector file is absent outside CI. */
function loadMatcherCases(): VectorCase[] | null {
  const data = loadVectors<{ cases?: unknown }>("jsonpath-filter.json");
  if (!data) return null;
  const file = "jsonpath-filter.json";
  if (!Array.isArray(data.cases)) throw new Error(`${file}: no "cases" array`);
  return data.cases.flatMap((raw: Record<string, unknown>) =>
    typeof raw.matcher === "string"
      ? [
          {
            id: String(raw.id),
            matcher: raw.matcher,
            expected: (raw.expected ?? {}) as VectorCase["expected"],
          },
        ]
      : [],
  );
}

/**
 * Jayway reports both syntax errors and "filter applied to a primitive" as
 * InvalidPathException; only the former is the parser's business.
 */
function expectsSyntaxError(c: VectorCase): boolean {
  return (
    c.expected.error === "InvalidPathException" &&
    !/applied to primitives/i.test(c.expected.messageStartsWith ?? "")
  );
}

const vectorCases = loadMatcherCases();

// ---- helpers ----------------------------------------------------------------------------

interface AnyNode {
  kind: string;
  span: { start: number; end: number };
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && "kind" in value;
}

function childNodes(node: AnyNode): AnyNode[] {
  const children: AnyNode[] = [];
  for (const value of Object.values(node)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (isNode(item)) children.push(item);
    }
  }
  return children;
}

/** Every node has a span inside the text and inside its parent's span (plain throws: fast). */
function checkSpans(node: AnyNode, text: string, parent = { start: 0, end: text.length }): void {
  const span = node.span as AnyNode["span"] | undefined;
  if (span === undefined) throw new Error(`${node.kind} node without a span in ${text}`);
  if (span.start < parent.start || span.end > parent.end || span.start > span.end) {
    throw new Error(`${node.kind} span ${JSON.stringify(span)} outside its parent in ${text}`);
  }
  for (const child of childNodes(node)) checkSpans(child, text, span);
}

/** A compact rendering of the logical structure, with conditions shown as source text. */
function shape(expression: FilterExpression, text: string): string {
  switch (expression.kind) {
    case "and":
    case "or":
      return `${expression.kind}(${expression.operands.map((e) => shape(e, text)).join(", ")})`;
    case "not":
      return `not(${shape(expression.operand, text)})`;
    default:
      return text.slice(expression.span.start, expression.span.end);
  }
}

function comparison(text: string): ComparisonExpression {
  const expression = parseFilter(text);
  if (expression.kind !== "comparison") throw new Error(`not a comparison: ${expression.kind}`);
  return expression;
}

function existsPath(text: string): PathNode {
  const expression = parseFilter(text);
  if (expression.kind !== "exists") throw new Error(`not an existence test: ${expression.kind}`);
  return expression.path;
}

function syntaxError(text: string): FilterSyntaxError {
  const result = tryParseFilter(text);
  if (result.ok) throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
  return result.error;
}

function slice(text: string, node: { span: { start: number; end: number } }): string {
  return text.slice(node.span.start, node.span.end);
}

function rightOf(text: string): Operand {
  return comparison(text).right;
}

// ---- tests ------------------------------------------------------------------------------

describe.skipIf(vectorCases === null)("jsonpath-filter.json matchers", () => {
  const cases = vectorCases ?? [];

  it("has matcher cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.filter((c) => !expectsSyntaxError(c)))("parses $id", (c) => {
    const expression = parseFilter(c.matcher);
    checkSpans(expression, c.matcher);
  });

  it.each(cases.filter(expectsSyntaxError))("rejects $id as a syntax error", (c) => {
    const error = syntaxError(c.matcher);
    expect(error).toBeInstanceOf(FilterSyntaxError);
    expect(error.code).toBe("E_FILTER_SYNTAX");
    // Jayway's message goes on to quote the whole path, which the parser never sees.
    const prefix = (c.expected.messageStartsWith ?? "").split(" when parsing")[0] ?? "";
    expect(error.message.startsWith(prefix), error.message).toBe(true);
  });
});

describe("precedence and grouping", () => {
  it.each([
    ["@.a || @.b && @.c", "or(@.a, and(@.b, @.c))"],
    ["@.a && @.b || @.c", "or(and(@.a, @.b), @.c)"],
    ["(@.a || @.b) && @.c", "and(or(@.a, @.b), @.c)"],
    ["@.a && @.b && @.c", "and(@.a, @.b, @.c)"],
    ["@.a || (@.b || @.c)", "or(@.a, or(@.b, @.c))"],
    ["((@.a))", "@.a"],
    ["!(@.a == 1) && !@.b", "and(not(@.a == 1), !@.b)"],
    ["!!@.a", "not(!@.a)"],
    ["@.id == '1' && @.x == 'T1' || @.id == '2'", "or(and(@.id == '1', @.x == 'T1'), @.id == '2')"],
  ])("%s", (text, expected) => {
    expect(shape(parseFilter(text), text)).toBe(expected);
  });

  it("tells existence tests from negated ones", () => {
    const plain = parseFilter("@.scan-type") as ExistsExpression;
    const negated = parseFilter("!@.scan-type") as ExistsExpression;
    expect([plain.kind, plain.negated]).toEqual(["exists", false]);
    expect([negated.kind, negated.negated]).toEqual(["exists", true]);
  });
});

describe("operators", () => {
  it.each([
    "==",
    "!=",
    "===",
    "!==",
    "<",
    "<=",
    ">",
    ">=",
    "=~",
    "in",
    "nin",
    "subsetof",
    "anyof",
    "noneof",
    "size",
    "empty",
    "contains",
    "all",
    "exists",
  ])("%s", (operator) => {
    const text = `@.a ${operator} @.b`;
    const expression = comparison(text);
    expect(expression.operator).toBe(operator);
    expect(slice(text, { span: expression.operatorSpan })).toBe(operator);
  });

  it("reads word operators case-insensitively, as Jayway does", () => {
    expect(comparison("@.a IN ['x']").operator).toBe("in");
  });

  it("needs no spaces around symbol operators", () => {
    expect(comparison("@.a=='x'").operator).toBe("==");
    expect(comparison("@.a=~/x/i").right).toMatchObject({ kind: "regex", pattern: "x" });
  });

  it("reads operator words as names inside paths", () => {
    const expression = comparison("@.in in['x']");
    expect(expression.left).toMatchObject({ segments: [{ names: ["in"] }] });
    expect(expression.operator).toBe("in");
  });
});

describe("paths", () => {
  it("reads hyphenated dot names and bracket names", () => {
    expect(existsPath("@.scan-type").segments).toMatchObject([
      { kind: "property", names: ["scan-type"], notation: "dot", descendant: false },
    ]);
    expect(existsPath(`@['scan-type', "x y"]`).segments).toMatchObject([
      { kind: "property", names: ["scan-type", "x y"], notation: "bracket" },
    ]);
  });

  it("reads wildcards, indexes, slices and deep scans", () => {
    const kinds = existsPath("$.a[*].b.*[0][-1, 2][1:3][:2][-2:]..c..*..[0]").segments.map((s) => {
      switch (s.kind) {
        case "index":
          return `index${s.indexes.join(",")}`;
        case "slice":
          return `slice${s.start}:${s.end}`;
        default:
          return `${s.descendant ? ".." : ""}${s.kind}`;
      }
    });
    expect(kinds).toEqual([
      "property",
      "wildcard",
      "property",
      "wildcard",
      "index0",
      "index-1,2",
      "slice1:3",
      "slicenull:2",
      "slice-2:null",
      "..property",
      "..wildcard",
      "index0",
    ]);
    expect(existsPath("$..[0]").segments[0]).toMatchObject({ kind: "index", descendant: true });
  });

  it("reads a trailing function and the bare root", () => {
    const path = comparison("@.resources.length() > 1").left as PathNode;
    expect(path.function).toMatchObject({ kind: "function", name: "length" });
    expect(path.segments).toHaveLength(1);
    expect(comparison("@ == 'x'").left).toMatchObject({ kind: "path", root: "@", segments: [] });
    expect(comparison("$.label == @.label").left).toMatchObject({ root: "$" });
  });

  it("reads nested filters", () => {
    const text = "@.resources[?(@.label == 'X' && @.files[?(@.size > 0)])]";
    const segment = existsPath(text).segments[1];
    if (segment?.kind !== "filter") throw new Error("expected a filter segment");
    expect(shape(segment.expression, text)).toBe("and(@.label == 'X', @.files[?(@.size > 0)])");
  });
});

describe("literals", () => {
  it("unescapes strings in either quote", () => {
    expect(rightOf(String.raw`@.a == 'O\'Brien'`)).toMatchObject({ value: "O'Brien", quote: "'" });
    expect(rightOf(`@.a == "O'Brien"`)).toMatchObject({ value: "O'Brien", quote: '"' });
    expect(rightOf(String.raw`@.a == "\u0041\t\\\/\q"`)).toMatchObject({ value: "A\t\\/q" });
    expect(rightOf("@.a == ''")).toMatchObject({ value: "" });
  });

  it("reads numbers, booleans and null", () => {
    expect(rightOf("@.a == -1.5e3")).toMatchObject({ kind: "number", value: -1500, raw: "-1.5e3" });
    expect(rightOf("@.a == 12")).toMatchObject({ kind: "number", value: 12 });
    expect(rightOf("@.a == true")).toMatchObject({ kind: "boolean", value: true });
    expect(rightOf("@.a empty false")).toMatchObject({ kind: "boolean", value: false });
    expect(rightOf("@.a == null")).toMatchObject({ kind: "null" });
  });

  it("reads array literals", () => {
    const array = rightOf(`@.a in ['a', "b", 1, true, null, [2], []]`);
    if (array.kind !== "array") throw new Error("expected an array");
    expect(array.elements.map((e) => e.kind)).toEqual([
      "string",
      "string",
      "number",
      "boolean",
      "null",
      "array",
      "array",
    ]);
    expect(comparison("['DICOM','NIFTI'] subsetof @.labels").left).toMatchObject({ kind: "array" });
  });

  it("keeps regex patterns raw, with flags", () => {
    expect(rightOf("@.a =~ /t1/i")).toMatchObject({ kind: "regex", pattern: "t1", flags: "i" });
    expect(rightOf(String.raw`@.a =~ /a\/b(?!RT).*/`)).toMatchObject({
      pattern: String.raw`a\/b(?!RT).*`,
      flags: "",
    });
  });
});

describe("template placeholders and substitutions", () => {
  it("accepts #name# wherever a value may appear", () => {
    expect(rightOf("@.scan-type == #SCAN_TYPE-1#")).toMatchObject({
      kind: "placeholder",
      name: "SCAN_TYPE-1",
    });
    expect(comparison("#LABEL# in @.resources[*].label").left).toMatchObject({
      kind: "placeholder",
      name: "LABEL",
    });
    expect(rightOf("@.a in [#A#, 'b']")).toMatchObject({
      elements: [{ kind: "placeholder", name: "A" }, { kind: "string" }],
    });
  });

  it("reads ^...^ substitutions up to the next caret", () => {
    const text = "@.scan-type in [^wrapper:$.external-inputs[?(@.name == 'T1-scantype')].value^]";
    expect(rightOf(text)).toMatchObject({
      elements: [
        {
          kind: "substitution",
          wrapper: true,
          path: "$.external-inputs[?(@.name == 'T1-scantype')].value",
          span: { start: 16, end: text.length - 1 },
        },
      ],
    });
    expect(rightOf("@.a == ^$.x^")).toMatchObject({
      kind: "substitution",
      wrapper: false,
      path: "$.x",
    });
  });

  it("treats # and ^ inside quotes and regexes as text", () => {
    expect(rightOf("@.a == '#X# ^y'")).toMatchObject({ kind: "string", value: "#X# ^y" });
    expect(rightOf("@.a =~ /^#x#'$/")).toMatchObject({ kind: "regex", pattern: "^#x#'$" });
  });
});

describe("spans", () => {
  it("records source offsets on every node", () => {
    const text = "@.scan-type == 'T1'";
    const expression = comparison(text);
    expect(expression.span).toEqual({ start: 0, end: 19 });
    expect(expression.left.span).toEqual({ start: 0, end: 11 });
    expect(expression.operatorSpan).toEqual({ start: 12, end: 14 });
    expect(expression.right.span).toEqual({ start: 15, end: 19 });
  });

  it("covers the whole chain, parentheses included, but not outer whitespace", () => {
    const text = "  (@.a) &&  !@.b  ";
    const expression = parseFilter(text);
    expect(slice(text, expression)).toBe("(@.a) &&  !@.b");
    checkSpans(expression, text);
  });

  it("nests every child inside its parent", () => {
    const text = `!(@.a[?(@.b in ["x", #Y#])].c[1:2] =~ /x/ || $..d.length() >= -1) && ^z^ nin [[1]]`;
    const expression = parseFilter(text);
    checkSpans(expression, text);
    expect(slice(text, expression)).toBe(text);
  });
});

describe("syntax errors", () => {
  it.each([
    ["@.scan-type = 'T1'", 12, /^Expected character: \) .*'=='/],
    ["@.label == 'O'Brien'", 19, /^Could not find matching close quote for '/],
    ["(@.a == 1", 9, /^Expected character: \)/],
    ["@.a == 1)", 8, /^Unmatched '\)'/],
    ["@.a == ", 7, /^Expected a value/],
    ["@.a == T1", 7, /strings must be quoted/],
    ["@.a & @.b", 4, /use '&&'/],
    ["@.a <> 1", 4, /unsupported operator "<>"/],
    ["@.a equals 'x'", 4, /^Expected character: \) but found "equals"/],
    ["@.a =~ /abc", 7, /^Could not find matching close for \//],
    ["@.a == #bad", 7, /^Malformed template placeholder/],
    ["@.a in [^foo]", 8, /^Could not find matching close \^/],
    ["!@.a == 1", 0, /negates an existence test/],
    ["'DICOM'", 7, /^Expected a relational operator/],
    ["", 0, /^Expected a value/],
    ["   ", 3, /^Expected a value/],
    ["()", 1, /^Expected a value/],
    ["@.a.length().b", 12, /must be the last segment/],
    ["@.a.concat('x')", 11, /arguments are not supported/],
    ["@.a[1::2]", 6, /Slice steps/],
    ["@.a[x]", 4, /after '\['/],
    ["@.a[?(@.b]", 9, /^Expected character: \)/],
    ["@.a[?@.b]", 5, /^Expected character: \(/],
    ["@. == 1", 2, /property name/],
    ["@.a == {'a': 1}", 7, /object literals/],
    ["@.a in [1,]", 10, /array element/],
    ["@.a in [1 2]", 10, /^Expected ',' or '\]'/],
    ["@.a == 12abc", 7, /^Invalid number/],
    ["@.a == /x/i9", 11, /after regex flags/],
    [String.raw`@.a == '\u12'`, 8, /\\u escape/],
    ["@.a == 1 &&", 11, /^Expected a value/],
  ])("%s", (text, position, message) => {
    const error = syntaxError(text);
    expect(error).toBeInstanceOf(FilterSyntaxError);
    expect(error.name).toBe("FilterSyntaxError");
    expect(error.message).toMatch(message);
    expect(error.position).toBe(position);
  });

  it("parseFilter throws what tryParseFilter returns", () => {
    expect(() => parseFilter("@.a = 1")).toThrow(FilterSyntaxError);
    expect(tryParseFilter("@.a == 1")).toMatchObject({
      ok: true,
      expression: { kind: "comparison" },
    });
  });
});

describe("hostile input", () => {
  const nest = (open: string, inner: string, close: string, depth: number) =>
    open.repeat(depth) + inner + close.repeat(depth);

  it.each([
    ["parentheses", (n: number) => nest("(", "@.a", ")", n)],
    ["nots", (n: number) => `${"!".repeat(n)}(@.a)`],
    ["nested filters", (n: number) => nest("@.a[?(", "@.b", ")]", n)],
    ["arrays", (n: number) => `@.a in ${nest("[", "1", "]", n)}`],
  ])("caps nesting of %s at MAX_FILTER_DEPTH", (_name, build) => {
    expect(parseFilter(build(MAX_FILTER_DEPTH - 1)).kind).toBeDefined();
    const error = syntaxError(build(MAX_FILTER_DEPTH + 1));
    expect(error.message).toMatch(/nesting exceeds/);
  });

  it("fails fast on very deep input", () => {
    const started = performance.now();
    expect(syntaxError("(".repeat(200_000)).message).toMatch(/nesting exceeds/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("parses long inputs in roughly linear time", () => {
    const started = performance.now();
    const chain = Array.from({ length: 20_000 }, (_, i) => `@.a${i} == ${i}`).join(" && ");
    const expression = parseFilter(chain);
    expect(expression.kind === "and" && expression.operands.length).toBe(20_000);
    const literal = `@.a == '${"x\\'".repeat(200_000)}'`;
    expect(rightOf(literal)).toMatchObject({ kind: "string" });
    expect(syntaxError(`@.a == '${"x".repeat(500_000)}`).position).toBe(7);
    expect(parseFilter(`@.${"a".repeat(500_000)}`).kind).toBe("exists");
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe("fuzzing", () => {
  const alphabet = `()[]{}'"/\\^#@$.!=<>~&|,*?:- \taZ09`;
  const localSeeds = [
    "@.scan-type in ['T1', \"MPRAGE\"] && 'DICOM' in @.resources[*].label",
    "!(@.a[?(@.b =~ /x\\/y/i)].c[1:2] >= -1.5e3) || $..d.length() size #N# && ^wrapper:$.e^ nin [[1], null]",
    "@['x', 'y'][0, 1] == true && !@.z",
  ];
  const seeds = [...localSeeds, ...(vectorCases ?? []).map((c) => c.matcher)];

  function mutate(text: string, next: () => number): string {
    let out = text;
    const edits = 1 + Math.floor(next() * 4);
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(next() * (out.length + 1));
      const choice = next();
      if (choice < 0.4) out = out.slice(0, at) + out.slice(at + 1);
      else if (choice < 0.8) {
        const c = alphabet.charAt(Math.floor(next() * alphabet.length));
        out = out.slice(0, at) + c + out.slice(at);
      } else {
        const length = Math.floor(next() * 8);
        out = out.slice(0, at) + out.slice(at, at + length) + out.slice(at);
      }
    }
    return out;
  }

  it("returns an AST or throws FilterSyntaxError for mutated matchers", () => {
    const next = random(0x5eed);
    const started = performance.now();
    let parsed = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = mutate(seeds[i % seeds.length] ?? "", next);
      let expression: FilterExpression;
      try {
        expression = parseFilter(text);
      } catch (error) {
        if (!(error instanceof FilterSyntaxError)) {
          throw new Error(`non-syntax error for ${JSON.stringify(text)}: ${String(error)}`);
        }
        if (error.position < 0 || error.position > text.length) {
          throw new Error(`position ${error.position} out of range for ${JSON.stringify(text)}`);
        }
        continue;
      }
      parsed++;
      checkSpans(expression, text);
    }
    expect(parsed).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
