/**
 * Parser for Jayway JsonPath filter expressions: the text between `[?(` and `)]` that XNAT
 * Container Service command "matcher" fields hold (spec: xcs.md §3.5, §4.1).
 *
 * It only builds a syntax tree; nothing is evaluated here (and nothing is ever handed to
 * JavaScript evaluation). Grammar accepted — whitespace (space, tab, CR, LF) may separate
 * tokens, but not the parts of a path outside its brackets:
 *
 *   filter       = or
 *   or           = and { "||" and }                  (&& binds tighter than ||, as in Jayway)
 *   and          = unary { "&&" unary }
 *   unary        = "!" path                          (negated existence test, `!@.x`)
 *                | "!" unary                         (logical not, e.g. `!(@.a == 1)`)
 *                | "(" or ")"
 *                | condition
 *   condition    = operand operator operand
 *                | path                              (existence test, `@.x`)
 *   operator     = "==" | "!=" | "===" | "!==" | "<" | "<=" | ">" | ">=" | "=~"
 *                | "in" | "nin" | "subsetof" | "anyof" | "noneof" | "size" | "empty"
 *                | "contains" | "all" | "exists"   (word operators are case-insensitive)
 *   operand      = path | regex | value
 *   value        = string | number | "true" | "false" | "null" | array
 *                | placeholder | substitution
 *   path         = ( "@" | "$" ) { segment } [ "." name "(" ")" ]   (function only at the end)
 *   segment      = "." name | ".*" | ".." ( name | "*" | bracket ) | bracket
 *   bracket      = "[" ( "*" | string { "," string } | int { "," int }
 *                      | [ int ] ":" [ int ] | "?(" or ")" ) "]"
 *   name         = 1*( A-Z a-z 0-9 "_" "-" "$" ":" | any non-ASCII non-space )  (`@.scan-type`)
 *   string       = "'" … "'" | '"' … '"'            (backslash escapes: \' \" \\ \/ \b \f \n
 *                                                    \r \t \uXXXX; other \c stands for c)
 *   number       = [ "-" ] digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ]
 *   array        = "[" [ value { "," value } ] "]"
 *   regex        = "/" … "/" { letter }              (pattern kept raw; `\/` does not close)
 *   placeholder  = "#" 1*( A-Z a-z 0-9 "_" "-" ) "#"  (an unresolved XCS template)
 *   substitution = "^" 1*( any but "^" ) "^"        (an unresolved `^wrapper:$.x^` JSONPath)
 *
 * Inside quotes and regex literals `#` and `^` are plain text.
 */

/** Half-open range of UTF-16 offsets into the parsed text: `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

export type RelationalOperator =
  | "=="
  | "!="
  | "==="
  | "!=="
  | "<"
  | "<="
  | ">"
  | ">="
  | "=~"
  | "in"
  | "nin"
  | "subsetof"
  | "anyof"
  | "noneof"
  | "size"
  | "empty"
  | "contains"
  | "all"
  | "exists";

export type FilterExpression =
  | LogicalExpression
  | NotExpression
  | ComparisonExpression
  | ExistsExpression;

/** `a && b && c` or `a || b`: always two or more operands, evaluated left to right. */
export interface LogicalExpression {
  kind: "and" | "or";
  operands: FilterExpression[];
  span: Span;
}

/** `!(...)` or `!` before any non-path condition. `!@.x` is an ExistsExpression instead. */
export interface NotExpression {
  kind: "not";
  operand: FilterExpression;
  span: Span;
}

export interface ComparisonExpression {
  kind: "comparison";
  operator: RelationalOperator;
  operatorSpan: Span;
  left: Operand;
  right: Operand;
  span: Span;
}

/** `@.x` (negated: false) or `!@.x` (negated: true). */
export interface ExistsExpression {
  kind: "exists";
  path: PathNode;
  negated: boolean;
  span: Span;
}

export type Operand = PathNode | RegexLiteral | ValueNode;

/** What may appear as an array element; as an operand, paths and regexes are allowed too. */
export type ValueNode =
  | StringLiteral
  | NumberLiteral
  | BooleanLiteral
  | NullLiteral
  | ArrayLiteral
  | Placeholder
  | Substitution;

export interface StringLiteral {
  kind: "string";
  /** Unescaped value. */
  value: string;
  quote: "'" | '"';
  span: Span;
}

export interface NumberLiteral {
  kind: "number";
  value: number;
  /** Source text, for callers that need more precision than a double. */
  raw: string;
  span: Span;
}

export interface BooleanLiteral {
  kind: "boolean";
  value: boolean;
  span: Span;
}

export interface NullLiteral {
  kind: "null";
  span: Span;
}

export interface ArrayLiteral {
  kind: "array";
  elements: ValueNode[];
  span: Span;
}

export interface RegexLiteral {
  kind: "regex";
  /** Pattern text between the slashes, as written (escapes untouched). */
  pattern: string;
  flags: string;
  span: Span;
}

/** `#NAME#`: an XCS template the resolver would have replaced before Jayway sees the text. */
export interface Placeholder {
  kind: "placeholder";
  name: string;
  span: Span;
}

/** `^path^` or `^wrapper:path^`: an XCS JSONPath substitution, left unresolved. */
export interface Substitution {
  kind: "substitution";
  wrapper: boolean;
  /** The JSONPath text (without the `wrapper:` prefix); not parsed. */
  path: string;
  span: Span;
}

export interface PathNode {
  kind: "path";
  root: "@" | "$";
  segments: PathSegment[];
  function: PathFunction | null;
  span: Span;
}

export type PathSegment =
  | PropertySegment
  | WildcardSegment
  | IndexSegment
  | SliceSegment
  | FilterSegment;

interface SegmentBase {
  /** Reached through `..` (deep scan). */
  descendant: boolean;
  span: Span;
}

/** `.name`, `['name']` or `['a', 'b']`. */
export interface PropertySegment extends SegmentBase {
  kind: "property";
  names: string[];
  notation: "dot" | "bracket";
}

/** `.*` or `[*]`. */
export interface WildcardSegment extends SegmentBase {
  kind: "wildcard";
  notation: "dot" | "bracket";
}

/** `[0]`, `[-1]` or `[0, 2]`. */
export interface IndexSegment extends SegmentBase {
  kind: "index";
  indexes: number[];
}

/** `[1:3]`, `[:2]`, `[-2:]` (Jayway has no step). */
export interface SliceSegment extends SegmentBase {
  kind: "slice";
  start: number | null;
  end: number | null;
}

/** `[?(...)]`. */
export interface FilterSegment extends SegmentBase {
  kind: "filter";
  expression: FilterExpression;
}

/** Trailing `.length()` and the like; the name is not checked against Jayway's list. */
export interface PathFunction {
  kind: "function";
  name: string;
  span: Span;
}

/** Every node kind, for generic walkers. */
export type FilterNode = FilterExpression | Operand | PathSegment | PathFunction;

export class FilterSyntaxError extends Error {
  readonly code = "E_FILTER_SYNTAX";
  /** 0-based offset into the parsed text (may equal its length: "at the end"). */
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = "FilterSyntaxError";
    this.position = position;
  }
}

export type TryParseFilterResult =
  | { ok: true; expression: FilterExpression }
  | { ok: false; error: FilterSyntaxError };

/** Nesting limit for parentheses, `!`, nested filters and arrays, so hostile input can't blow the stack. */
export const MAX_FILTER_DEPTH = 256;

export function parseFilter(text: string): FilterExpression {
  checkDelimiters(text);
  return new Parser(text).parse();
}

export function tryParseFilter(text: string): TryParseFilterResult {
  try {
    return { ok: true, expression: parseFilter(text) };
  } catch (error) {
    if (error instanceof FilterSyntaxError) return { ok: false, error };
    throw error;
  }
}

const SYMBOL_OPERATORS: ReadonlySet<string> = new Set([
  "==",
  "!=",
  "===",
  "!==",
  "<",
  "<=",
  ">",
  ">=",
  "=~",
]);
const WORD_OPERATORS: ReadonlySet<string> = new Set([
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
]);
/** Jayway reads a run of these characters as one operator, so `=!` or `<>` is one bad token. */
const OPERATOR_CHARS = "<>=~!";
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INTEGER = /-?\d+/y;
const PLACEHOLDER = /#([A-Za-z0-9_-]+)#/y;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

function isOperatorChar(c: string): boolean {
  return c !== "" && OPERATOR_CHARS.includes(c);
}

function isNameChar(c: string): boolean {
  if (c === "") return false;
  if (/[A-Za-z0-9_$:-]/.test(c)) return true;
  return c.charCodeAt(0) >= 0x80 && !/\s/.test(c);
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

/** Index of the next `ch` at or after `from` that is not backslash-escaped, or -1. */
function nextUnescaped(text: string, from: number, ch: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === "\\") i++;
    else if (c === ch) return i;
  }
  return -1;
}

function unclosedQuote(text: string, at: number, quote: string): FilterSyntaxError {
  return new FilterSyntaxError(
    `Could not find matching close quote for ${quote} when parsing : ${text}`,
    at,
  );
}

function unclosedRegex(text: string, at: number): FilterSyntaxError {
  return new FilterSyntaxError(
    `Could not find matching close for / when parsing regex in : ${text}`,
    at,
  );
}

function unclosedSubstitution(at: number): FilterSyntaxError {
  return new FilterSyntaxError("Could not find matching close ^ for a ^...^ substitution", at);
}

/**
 * Jayway finds the end of a filter by skipping quoted strings and regexes before it parses
 * the filter, so an unbalanced quote (`'O'Brien'`) is reported as such, not as a stray word.
 * This pass does the same, linearly, and also skips `^...^` like the parser does.
 */
function checkDelimiters(text: string): void {
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    let close = i;
    if (c === "'" || c === '"') {
      close = nextUnescaped(text, i + 1, c);
      if (close < 0) throw unclosedQuote(text, i, c);
    } else if (c === "/") {
      close = nextUnescaped(text, i + 1, "/");
      if (close < 0) throw unclosedRegex(text, i);
    } else if (c === "^") {
      close = text.indexOf("^", i + 1);
      if (close < 0) throw unclosedSubstitution(i);
    }
    i = close + 1;
  }
}

/** Recursive-descent parser; every method starts at `pos` and leaves `pos` after its node. */
class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): FilterExpression {
    const expression = this.parseOr();
    this.skipSpace();
    if (this.pos < this.text.length) throw this.unexpectedAfterCondition();
    return expression;
  }

  // ---- logical structure ----------------------------------------------------------------

  private parseOr(): FilterExpression {
    return this.parseChain("or", "||", () => this.parseAnd());
  }

  private parseAnd(): FilterExpression {
    return this.parseChain("and", "&&", () => this.parseUnary());
  }

  /** Flat operand lists (not nested binary nodes) keep long `a && b && …` chains shallow. */
  private parseChain(
    kind: "and" | "or",
    token: string,
    parseOperand: () => FilterExpression,
  ): FilterExpression {
    this.skipSpace();
    const start = this.pos;
    const first = parseOperand();
    const operands = [first];
    let end = this.pos;
    while (this.skipSpace() && this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      operands.push(parseOperand());
      end = this.pos;
    }
    this.pos = end;
    if (operands.length === 1) return first;
    return { kind, operands, span: { start, end } };
  }

  private parseUnary(): FilterExpression {
    this.skipSpace();
    const c = this.peek();
    if (c === "!") return this.parseNot();
    if (c === "(") return this.parseGroup();
    return this.parseCondition();
  }

  private parseNot(): FilterExpression {
    const start = this.pos;
    this.pos++;
    this.skipSpace();
    const c = this.peek();
    if (c === "@" || c === "$") return this.parseNegatedExists(start);
    this.enter(start);
    const operand = this.parseUnary();
    this.leave();
    return { kind: "not", operand, span: { start, end: this.pos } };
  }

  /**
   * Jayway reads `!@.x == 1` as `@.x == 1` (the `!` is silently dropped), which is never what
   * the author meant, so `!` before a path is accepted only as a bare existence test.
   */
  private parseNegatedExists(start: number): ExistsExpression {
    const path = this.parsePath();
    const end = this.pos;
    this.skipSpace();
    if (this.scanOperator() !== null) {
      throw new FilterSyntaxError(
        "'!' before a path only negates an existence test ('!@.x'); use '!(...)' to negate a comparison",
        start,
      );
    }
    this.pos = end;
    return { kind: "exists", path, negated: true, span: { start, end } };
  }

  private parseGroup(): FilterExpression {
    const open = this.pos;
    this.enter(open);
    this.pos++;
    const expression = this.parseOr();
    this.skipSpace();
    if (this.peek() !== ")") {
      throw this.error(`Expected character: ) but found ${this.found()} (to close '(' at ${open})`);
    }
    this.pos++;
    this.leave();
    return expression;
  }

  private parseCondition(): FilterExpression {
    const start = this.pos;
    const left = this.parseOperand();
    const afterLeft = this.pos;
    this.skipSpace();
    const operator = this.scanOperator();
    if (operator === null) {
      if (left.kind !== "path") {
        throw this.error(
          `Expected a relational operator after the value but found ${this.found()}`,
        );
      }
      this.pos = afterLeft;
      return { kind: "exists", path: left, negated: false, span: left.span };
    }
    this.pos = operator.span.end;
    const right = this.parseOperand();
    return {
      kind: "comparison",
      operator: operator.operator,
      operatorSpan: operator.span,
      left,
      right,
      span: { start, end: this.pos },
    };
  }

  /** Reads an operator at `pos` without consuming it; null when there is none. */
  private scanOperator(): { operator: RelationalOperator; span: Span } | null {
    const start = this.pos;
    let end = start;
    if (isOperatorChar(this.peek())) {
      while (isOperatorChar(this.text.charAt(end))) end++;
      const symbol = this.text.slice(start, end);
      if (!SYMBOL_OPERATORS.has(symbol)) throw this.badOperator(symbol);
      return { operator: symbol as RelationalOperator, span: { start, end } };
    }
    while (isNameChar(this.text.charAt(end))) end++;
    const word = this.text.slice(start, end).toLowerCase();
    if (!WORD_OPERATORS.has(word)) return null;
    return { operator: word as RelationalOperator, span: { start, end } };
  }

  private badOperator(symbol: string): FilterSyntaxError {
    const hint = symbol === "=" ? " (use '==' to compare)" : "";
    return this.error(
      `Expected character: ) but found unsupported operator ${JSON.stringify(symbol)}${hint}`,
    );
  }

  // ---- operands -----------------------------------------------------------------------

  private parseOperand(): Operand {
    this.skipSpace();
    const c = this.peek();
    if (c === "@" || c === "$") return this.parsePath();
    if (c === "/") return this.parseRegex();
    return this.parseValue("a value (path, string, number, true, false, null, array or regex)");
  }

  /** Literals allowed both as operands and as array elements; `expected` words the error. */
  private parseValue(expected: string): ValueNode {
    const c = this.peek();
    if (c === "'" || c === '"') return this.parseString();
    if (c === "[") return this.parseArray();
    if (c === "#") return this.parsePlaceholder();
    if (c === "^") return this.parseSubstitution();
    if (c === "-" || isDigit(c)) return this.parseNumber();
    if (/[A-Za-z]/.test(c)) return this.parseKeyword(expected);
    if (c === "{") throw this.error("JSON object literals are not supported in filters");
    throw this.error(`Expected ${expected} but found ${this.found()}`);
  }

  private parseString(): StringLiteral {
    const start = this.pos;
    const quote = this.peek() === '"' ? '"' : "'";
    let value = "";
    let chunkStart = start + 1;
    for (let i = chunkStart; i < this.text.length; ) {
      const c = this.text.charAt(i);
      if (c === quote) {
        this.pos = i + 1;
        value += this.text.slice(chunkStart, i);
        return { kind: "string", value, quote, span: { start, end: this.pos } };
      }
      if (c === "\\") {
        const decoded = this.readEscape(i);
        value += this.text.slice(chunkStart, i) + decoded.value;
        i += decoded.length;
        chunkStart = i;
      } else {
        i++;
      }
    }
    throw unclosedQuote(this.text, start, quote);
  }

  /** Decodes the escape sequence starting at the backslash at `at`. */
  private readEscape(at: number): { value: string; length: number } {
    const c = this.text.charAt(at + 1);
    if (c === "u") {
      const hex = this.text.slice(at + 2, at + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
        throw new FilterSyntaxError("Invalid \\u escape: expected four hex digits", at);
      }
      return { value: String.fromCharCode(Number.parseInt(hex, 16)), length: 6 };
    }
    return { value: SIMPLE_ESCAPES[c] ?? c, length: 2 };
  }

  private parseNumber(): NumberLiteral {
    const start = this.pos;
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(this.text);
    const end = match ? start + match[0].length : start;
    const next = this.text.charAt(end);
    if (!match || isNameChar(next) || next === ".") {
      throw this.error(`Invalid number ${JSON.stringify(this.wordAt(start))}`);
    }
    this.pos = end;
    return { kind: "number", value: Number(match[0]), raw: match[0], span: { start, end } };
  }

  private parseKeyword(expected: string): BooleanLiteral | NullLiteral {
    const start = this.pos;
    const word = this.wordAt(start);
    const span = { start, end: start + word.length };
    if (word === "true" || word === "false") {
      this.pos = span.end;
      return { kind: "boolean", value: word === "true", span };
    }
    if (word === "null") {
      this.pos = span.end;
      return { kind: "null", span };
    }
    throw this.error(
      `Expected ${expected} but found ${JSON.stringify(word)} (strings must be quoted)`,
    );
  }

  private parseArray(): ArrayLiteral {
    const start = this.pos;
    this.enter(start);
    this.pos++;
    const elements: ValueNode[] = [];
    this.skipSpace();
    if (this.peek() === "]") {
      this.pos++;
    } else {
      this.parseArrayElements(elements);
    }
    this.leave();
    return { kind: "array", elements, span: { start, end: this.pos } };
  }

  private parseArrayElements(elements: ValueNode[]): void {
    for (;;) {
      this.skipSpace();
      elements.push(this.parseValue("an array element (string, number, true, false, null, array)"));
      this.skipSpace();
      const c = this.peek();
      if (c !== "," && c !== "]") {
        throw this.error(`Expected ',' or ']' in array literal but found ${this.found()}`);
      }
      this.pos++;
      if (c === "]") return;
    }
  }

  private parseRegex(): RegexLiteral {
    const start = this.pos;
    const close = nextUnescaped(this.text, start + 1, "/");
    if (close < 0) throw unclosedRegex(this.text, start);
    let end = close + 1;
    while (/[A-Za-z]/.test(this.text.charAt(end))) end++;
    if (isNameChar(this.text.charAt(end))) {
      this.pos = end;
      throw this.error(`Unexpected ${this.found()} after regex flags`);
    }
    this.pos = end;
    return {
      kind: "regex",
      pattern: this.text.slice(start + 1, close),
      flags: this.text.slice(close + 1, end),
      span: { start, end },
    };
  }

  private parsePlaceholder(): Placeholder {
    const start = this.pos;
    PLACEHOLDER.lastIndex = start;
    const match = PLACEHOLDER.exec(this.text);
    if (!match) {
      throw this.error("Malformed template placeholder: expected #NAME# (letters, digits, _ or -)");
    }
    this.pos = start + match[0].length;
    return { kind: "placeholder", name: match[1] ?? "", span: { start, end: this.pos } };
  }

  private parseSubstitution(): Substitution {
    const start = this.pos;
    const close = this.text.indexOf("^", start + 1);
    if (close < 0) throw unclosedSubstitution(start);
    const body = this.text.slice(start + 1, close);
    const wrapper = body.startsWith("wrapper:");
    const path = wrapper ? body.slice("wrapper:".length) : body;
    if (path.trim() === "") throw this.error("Empty ^...^ substitution");
    this.pos = close + 1;
    return { kind: "substitution", wrapper, path, span: { start, end: this.pos } };
  }

  // ---- paths --------------------------------------------------------------------------

  private parsePath(): PathNode {
    const start = this.pos;
    const root = this.peek() === "$" ? "$" : "@";
    this.pos++;
    const segments: PathSegment[] = [];
    let fn: PathFunction | null = null;
    while (fn === null && (this.peek() === "." || this.peek() === "[")) {
      const segment = this.peek() === "[" ? this.parseBracket(this.pos, false) : this.parseDot();
      if (segment.kind === "function") fn = segment;
      else segments.push(segment);
    }
    if (fn !== null && (this.peek() === "." || this.peek() === "[")) {
      throw this.error(`Path function ${fn.name}() must be the last segment of the path`);
    }
    return { kind: "path", root, segments, function: fn, span: { start, end: this.pos } };
  }

  private parseDot(): PathSegment | PathFunction {
    const start = this.pos;
    if (this.text.startsWith("..", start)) {
      this.pos += 2;
      if (this.peek() === "[") return this.parseBracket(start, true);
      return this.parseDotName(start, true);
    }
    this.pos++;
    return this.parseDotName(start, false);
  }

  /** The part after `.` or `..`: `*`, a name, or (not after `..`) a function call. */
  private parseDotName(start: number, descendant: boolean): PathSegment | PathFunction {
    if (this.peek() === "*") {
      this.pos++;
      return { kind: "wildcard", notation: "dot", descendant, span: { start, end: this.pos } };
    }
    const name = this.wordAt(this.pos);
    if (name === "")
      throw this.error(`Expected a property name after '.' but found ${this.found()}`);
    this.pos += name.length;
    if (!descendant && this.peek() === "(") return this.parseFunctionCall(start, name);
    return {
      kind: "property",
      names: [name],
      notation: "dot",
      descendant,
      span: { start, end: this.pos },
    };
  }

  private parseFunctionCall(start: number, name: string): PathFunction {
    this.pos++;
    this.skipSpace();
    if (this.peek() !== ")") {
      throw this.error(`Path function arguments are not supported: ${name}(...)`);
    }
    this.pos++;
    return { kind: "function", name, span: { start, end: this.pos } };
  }

  /**
   * `[...]` at `pos`; `start` is where the segment began (before `..` if any). The sub-parsers
   * share `span` and its end is filled in once the closing `]` has been read.
   */
  private parseBracket(start: number, descendant: boolean): PathSegment {
    const span = { start, end: start };
    this.pos++;
    this.skipSpace();
    const c = this.peek();
    let segment: PathSegment;
    if (c === "*") {
      this.pos++;
      segment = { kind: "wildcard", notation: "bracket", descendant, span };
    } else if (c === "?") {
      segment = { kind: "filter", expression: this.parseFilterBody(start), descendant, span };
    } else if (c === "'" || c === '"') {
      segment = {
        kind: "property",
        names: this.parseBracketNames(),
        notation: "bracket",
        descendant,
        span,
      };
    } else if (c === ":") {
      segment = this.parseSlice(null, descendant, span);
    } else if (c === "-" || isDigit(c)) {
      segment = this.parseIndexesOrSlice(descendant, span);
    } else {
      throw this.error(
        `Expected a quoted name, index, slice, '*' or '?(' after '[' but found ${this.found()}`,
      );
    }
    this.skipSpace();
    this.expect("]");
    span.end = this.pos;
    return segment;
  }

  /** `?( filter )` inside a bracket; `start` is the segment start, for the depth error. */
  private parseFilterBody(start: number): FilterExpression {
    this.pos++;
    this.skipSpace();
    this.expect("(");
    this.enter(start);
    const expression = this.parseOr();
    this.skipSpace();
    this.expect(")");
    this.leave();
    return expression;
  }

  private parseBracketNames(): string[] {
    const names = [this.parseString().value];
    while (this.skipSpace() && this.peek() === ",") {
      this.pos++;
      this.skipSpace();
      if (this.peek() !== "'" && this.peek() !== '"') {
        throw this.error(`Expected a quoted property name but found ${this.found()}`);
      }
      names.push(this.parseString().value);
    }
    return names;
  }

  private parseIndexesOrSlice(descendant: boolean, span: Span): IndexSegment | SliceSegment {
    const indexes = [this.readInteger()];
    this.skipSpace();
    if (this.peek() === ":") return this.parseSlice(indexes[0] ?? null, descendant, span);
    while (this.peek() === ",") {
      this.pos++;
      this.skipSpace();
      indexes.push(this.readInteger());
      this.skipSpace();
    }
    return { kind: "index", indexes, descendant, span };
  }

  /** From the `:` of `[start:end]`. */
  private parseSlice(start: number | null, descendant: boolean, span: Span): SliceSegment {
    this.pos++;
    this.skipSpace();
    const c = this.peek();
    const end = c === "-" || isDigit(c) ? this.readInteger() : null;
    this.skipSpace();
    if (this.peek() === ":") throw this.error("Slice steps are not supported");
    return { kind: "slice", start, end, descendant, span };
  }

  private readInteger(): number {
    INTEGER.lastIndex = this.pos;
    const found = INTEGER.exec(this.text);
    const value = found ? Number(found[0]) : Number.NaN;
    if (!found || !Number.isSafeInteger(value)) {
      throw this.error(`Expected an integer index but found ${this.found()}`);
    }
    this.pos += found[0].length;
    return value;
  }

  // ---- helpers ------------------------------------------------------------------------

  private peek(): string {
    return this.text.charAt(this.pos);
  }

  /** Always true, so it can sit inside a `while (skipSpace() && …)` condition. */
  private skipSpace(): true {
    while (isSpace(this.text.charAt(this.pos))) this.pos++;
    return true;
  }

  private expect(c: string): void {
    if (this.peek() !== c) throw this.error(`Expected character: ${c} but found ${this.found()}`);
    this.pos++;
  }

  private enter(at: number): void {
    this.depth++;
    if (this.depth > MAX_FILTER_DEPTH) {
      throw new FilterSyntaxError(`Filter nesting exceeds ${MAX_FILTER_DEPTH} levels`, at);
    }
  }

  private leave(): void {
    this.depth--;
  }

  /** The run of name characters at `at` (possibly empty). */
  private wordAt(at: number): string {
    let end = at;
    while (isNameChar(this.text.charAt(end))) end++;
    return this.text.slice(at, end);
  }

  /** A short quotation of what is at `pos`, for error messages. */
  private found(): string {
    if (this.pos >= this.text.length) return "end of filter";
    const word = this.wordAt(this.pos);
    return JSON.stringify(word !== "" ? word.slice(0, 30) : this.peek());
  }

  private unexpectedAfterCondition(): FilterSyntaxError {
    const c = this.peek();
    if (c === ")") return this.error("Unmatched ')'");
    const hint = c === "&" ? " (use '&&')" : c === "|" ? " (use '||')" : "";
    return this.error(`Expected character: ) but found ${this.found()}${hint}`);
  }

  private error(message: string): FilterSyntaxError {
    return new FilterSyntaxError(message, this.pos);
  }
}
