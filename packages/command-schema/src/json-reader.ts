// A JSON reader that accepts what XNAT's reader (Jackson 2.17 with the Container Service's
// settings) accepts and keeps where every value came from: single-quoted strings and `#` comments
// are allowed, trailing commas, leading zeros, `NaN`, unescaped control characters in strings and
// nesting deeper than 1000 are not. Numbers keep their token text (Jackson hands `1.50` to a
// string field as "1.50"). Duplicate keys are kept in order (the last one wins when read).

/** Where a value starts in the text: 0-based offset, 1-based line and column. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

interface NodeBase {
  readonly start: SourcePosition;
  /** Offset just past the value. */
  readonly end: number;
}

export interface JsonObjectNode extends NodeBase {
  readonly kind: "object";
  readonly entries: readonly JsonEntry[];
}
export interface JsonArrayNode extends NodeBase {
  readonly kind: "array";
  readonly items: readonly JsonNode[];
}
export interface JsonStringNode extends NodeBase {
  readonly kind: "string";
  readonly value: string;
}
export interface JsonNumberNode extends NodeBase {
  readonly kind: "number";
  /** The token as written (`1.50`, `1e3`). */
  readonly text: string;
  readonly value: number;
  readonly integer: boolean;
}
export interface JsonBooleanNode extends NodeBase {
  readonly kind: "boolean";
  readonly value: boolean;
}
export interface JsonNullNode extends NodeBase {
  readonly kind: "null";
}

export type JsonNode =
  | JsonObjectNode
  | JsonArrayNode
  | JsonStringNode
  | JsonNumberNode
  | JsonBooleanNode
  | JsonNullNode;

export interface JsonEntry {
  readonly key: string;
  readonly keyStart: SourcePosition;
  readonly value: JsonNode;
}

/** Jackson's default nesting limit (StreamReadConstraints, 2.15+). */
export const MAX_NESTING = 1000;

/** Text that is not JSON as XNAT reads it; `position` says where. */
export class JsonSyntaxError extends Error {
  readonly code = "E_JSON_SYNTAX";
  constructor(
    /** What is wrong, without the place. */
    readonly reason: string,
    readonly position: SourcePosition,
  ) {
    super(`${reason} (line ${position.line}, column ${position.column})`);
    this.name = "JsonSyntaxError";
  }
}

export interface JsonDocument {
  readonly root: JsonNode;
  /** Where non-blank text after the root value starts (Jackson ignores it), if any. */
  readonly trailing: SourcePosition | undefined;
}

export interface ReadJsonOptions {
  /**
   * Plain JSON, as a default Jackson reader takes it: no single quotes, no comments (XNAT reads
   * the default values of select-many inputs that way).
   */
  readonly strict?: boolean;
}

/** Parses `text`; throws {@link JsonSyntaxError}. */
export function readJson(text: string, options: ReadJsonOptions = {}): JsonDocument {
  const reader = new Reader(text, options.strict === true);
  reader.skipByteOrderMark();
  reader.skipSpace();
  if (reader.atEnd()) reader.fail("no content: the document is empty");
  const root = reader.value(0);
  reader.skipSpace();
  return { root, trailing: reader.atEnd() ? undefined : reader.position() };
}

/** The plain JavaScript value of a node (the last duplicate key wins). */
export function plainValue(node: JsonNode): unknown {
  switch (node.kind) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries) out[entry.key] = plainValue(entry.value);
      return out;
    }
    case "array":
      return node.items.map(plainValue);
    case "null":
      return null;
    default:
      return node.value;
  }
}

/** The last entry named `key` (the one Jackson keeps). */
export function lastEntry(node: JsonObjectNode, key: string): JsonEntry | undefined {
  for (let i = node.entries.length - 1; i >= 0; i--) {
    const entry = node.entries[i] as JsonEntry;
    if (entry.key === key) return entry;
  }
  return undefined;
}

/**
 * `text` as Jackson reads a `List<String>` with a default mapper (plain JSON; numbers and
 * booleans become their text, null stays null), or undefined when it is not such a list.
 */
export function readJsonStringList(text: string): (string | null)[] | undefined {
  let root: JsonNode;
  try {
    root = readJson(text, { strict: true }).root;
  } catch {
    return undefined;
  }
  if (root.kind !== "array") return undefined;
  const items: (string | null)[] = [];
  for (const item of root.items) {
    if (item.kind === "string") items.push(item.value);
    else if (item.kind === "number") items.push(item.text);
    else if (item.kind === "boolean") items.push(String(item.value));
    else if (item.kind === "null") items.push(null);
    else return undefined;
  }
  return items;
}

/** A key as one token of a JSON pointer (RFC 6901: `~` and `/` escaped). */
export function pointerToken(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The node at a JSON pointer (`/xnat/0/name`), or undefined. */
export function nodeAt(root: JsonNode, pointer: string): JsonNode | undefined {
  if (pointer === "") return root;
  let node: JsonNode | undefined = root;
  for (const raw of pointer.slice(1).split("/")) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node?.kind === "object") {
      node = lastEntry(node, part)?.value;
    } else if (node?.kind === "array" && /^(0|[1-9]\d*)$/.test(part)) {
      node = node.items[Number(part)];
    } else {
      return undefined;
    }
  }
  return node;
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

class Reader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    private readonly text: string,
    private readonly strict: boolean,
  ) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  position(at = this.pos): SourcePosition {
    // Lines are counted as the reader moves; `at` is never before the current line.
    return { offset: at, line: this.line, column: at - this.lineStart + 1 };
  }

  fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, this.position(at));
  }

  private describe(at = this.pos): string {
    if (at >= this.text.length) return "end of input";
    const code = this.text.charCodeAt(at);
    return code < 0x20 ? `control character (code ${code})` : `'${this.text[at]}'`;
  }

  /** Jackson detects the encoding of request bodies and drops a byte order mark. */
  skipByteOrderMark(): void {
    if (this.text.charCodeAt(0) === 0xfeff) {
      this.pos = 1;
      this.lineStart = 1;
    }
  }

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === "\n") {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === " " || c === "\t" || c === "\r") {
        this.pos++;
      } else if (c === "#" && !this.strict) {
        // YAML-style comment to the end of the line (ALLOW_YAML_COMMENTS).
        while (this.pos < text.length && text[this.pos] !== "\n") this.pos++;
      } else {
        return;
      }
    }
  }

  value(depth: number): JsonNode {
    const c = this.text[this.pos];
    if (c === "{" || c === "[") {
      if (depth >= MAX_NESTING) this.fail(`nesting deeper than ${MAX_NESTING} levels`);
      return c === "{" ? this.object(depth + 1) : this.array(depth + 1);
    }
    const start = this.position();
    if (c === '"' || (c === "'" && !this.strict)) {
      const value = this.string();
      return { kind: "string", value, start, end: this.pos };
    }
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number(start);
    for (const [word, node] of [
      ["true", { kind: "boolean", value: true }],
      ["false", { kind: "boolean", value: false }],
      ["null", { kind: "null" }],
    ] as const) {
      if (
        this.text.startsWith(word, this.pos) &&
        !/[\w$]/.test(this.text[this.pos + word.length] ?? "")
      ) {
        this.pos += word.length;
        return { ...node, start, end: this.pos };
      }
    }
    return this.fail(`unexpected ${this.describe()}: expected a value`);
  }

  private object(depth: number): JsonObjectNode {
    const start = this.position();
    this.pos++;
    const entries: JsonEntry[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return { kind: "object", entries, start, end: this.pos };
    }
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c !== '"' && (c !== "'" || this.strict)) {
        this.fail(
          c === "}"
            ? "trailing comma: a property name must follow ','"
            : `unexpected ${this.describe()}: expected a property name in quotes`,
        );
      }
      const keyStart = this.position();
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail(`unexpected ${this.describe()}: expected ':'`);
      this.pos++;
      this.skipSpace();
      entries.push({ key, keyStart, value: this.value(depth) });
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === "}") return { kind: "object", entries, start, end: this.pos };
      if (next !== ",")
        this.fail(`unexpected ${this.describe(this.pos - 1)}: expected ',' or '}'`, this.pos - 1);
    }
  }

  private array(depth: number): JsonArrayNode {
    const start = this.position();
    this.pos++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return { kind: "array", items, start, end: this.pos };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === "]") this.fail("trailing comma: a value must follow ','");
      items.push(this.value(depth));
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === "]") return { kind: "array", items, start, end: this.pos };
      if (next !== ",")
        this.fail(`unexpected ${this.describe(this.pos - 1)}: expected ',' or ']'`, this.pos - 1);
    }
  }

  private string(): string {
    const quote = this.text[this.pos];
    const open = this.pos;
    this.pos++;
    let out = "";
    let from = this.pos;
    const text = this.text;
    for (;;) {
      if (this.pos >= text.length) this.fail("unterminated string", open);
      const c = text[this.pos] as string;
      if (c === quote) {
        out += text.slice(from, this.pos);
        this.pos++;
        return out;
      }
      if (c.charCodeAt(0) < 0x20) {
        this.fail(`${this.describe()} in a string: it has to be escaped`);
      }
      if (c !== "\\") {
        this.pos++;
        continue;
      }
      out += text.slice(from, this.pos);
      const escaped = text[this.pos + 1];
      if (escaped === "u") {
        const hex = text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape: four hex digits expected");
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.pos += 6;
      } else if (escaped !== undefined && escaped in ESCAPES && (escaped !== "'" || !this.strict)) {
        // `\'` is accepted in any string because single quotes are (as Jackson does).
        out += ESCAPES[escaped];
        this.pos += 2;
      } else {
        this.fail(
          `unrecognized escape ${escaped === undefined ? "at end of input" : `'\\${escaped}'`}`,
        );
      }
      from = this.pos;
    }
  }

  private number(start: SourcePosition): JsonNumberNode {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail(`unexpected ${this.describe()}: expected a number`);
    const text = match[0];
    const after = this.text[this.pos + text.length];
    if (after !== undefined && /[\w.]/.test(after)) {
      this.fail(
        /^-?0\d/.test(this.text.slice(this.pos, this.pos + text.length + 1))
          ? "leading zeros are not allowed in numbers"
          : `unexpected ${this.describe(this.pos + text.length)} in a number`,
        this.pos + text.length,
      );
    }
    if (text.length > 1000) this.fail("number longer than 1000 characters");
    this.pos += text.length;
    return {
      kind: "number",
      text,
      value: Number(text),
      integer: match[2] === undefined && match[3] === undefined,
      start,
      end: this.pos,
    };
  }
}
