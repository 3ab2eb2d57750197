// Filter strings: `bodypart=BRAIN;modality=T1;extras=[ECHO1,MAG]`.
//
// Two dialects. `radifox` is the original `ImageFilter.from_string` exactly, errors included.
// `extended` (the default) gives the same filter for every string the original accepts, with
// these documented exceptions, all of which only touch filters that could never match a name
// radifox-convert writes: whitespace around keys, values and list items is ignored; `|`
// separates alternatives; a double-quoted value is taken literally (no upper-casing, may hold
// `;`, `,`, `|`). It adds `!=`, `~`, `!~`, the `body_part` spelling and `,` between pairs where
// a key follows.
import { FilterSyntaxError } from "./errors.js";
import {
  FILTER_KEYS,
  FilterCondition,
  type FilterKey,
  type FilterValue,
  LIST_KEYS,
  type PlainValue,
} from "./filter-values.js";
import { PyTuple } from "./python-repr.js";

export type FilterDialect = "extended" | "radifox";

export type FilterEntry = [key: string, value: FilterValue];

const KEY_ALIASES: Record<string, FilterKey> = { body_part: "bodypart" };
const EMPTY_LIST_WORDS = ["NONE", "()", "[]"];

/** The original's message for an unknown key (`keys` = every key given, in order). */
export function invalidKeyMessage(key: string, keys?: readonly string[]): string {
  const allowed = `Invalid key provided ${key}. Allowed keys are: ${FILTER_KEYS.join(", ")}`;
  return keys ? `${allowed}\nKeys provided: ${keys.join(", ")}` : allowed;
}

function isFilterKey(key: string): key is FilterKey {
  return (FILTER_KEYS as readonly string[]).includes(key);
}

function isListKey(key: string): boolean {
  return (LIST_KEYS as readonly string[]).includes(key);
}

// --- the original grammar ------------------------------------------------------------------

function indexError(token: string, position: number): FilterSyntaxError {
  return new FilterSyntaxError(
    "E_FILTER_VALUE",
    `empty list value in "${token}": write NONE or [] for an empty list`,
    { token, position, pythonError: { type: "IndexError", message: "string index out of range" } },
  );
}

/** `ImageFilter.from_string` of radifox 2.2, step by step (including its error order). */
function parseRadifox(text: string): FilterEntry[] {
  const entries = new Map<string, string | string[]>();
  const positions = new Map<string, number>();
  let offset = 0;
  for (const [i, item] of text.split(";").entries()) {
    const parts = item.split("=");
    if (parts.length !== 2) {
      throw new FilterSyntaxError(
        "E_FILTER_PAIR",
        `"${item}" is not a key=value pair (pair ${i + 1} of "${text}")`,
        {
          token: item,
          position: offset,
          pythonError: {
            type: "ValueError",
            message: `dictionary update sequence element #${i} has length ${parts.length}; 2 is required`,
          },
        },
      );
    }
    const [key, value] = parts as [string, string];
    entries.set(key, value);
    positions.set(key, offset);
    offset += item.length + 1;
  }
  for (const [key, raw] of entries) {
    if (key !== "extras" && key !== "tags") {
      entries.set(key, (raw as string).toUpperCase());
      continue;
    }
    let value = raw as string;
    if (EMPTY_LIST_WORDS.includes(value.toUpperCase())) {
      entries.set(key, []);
      continue;
    }
    const token = `${key}=${value}`;
    if (value === "") throw indexError(token, positions.get(key) ?? 0);
    if (value[0] === "(" || value[0] === "[") value = value.slice(1);
    if (value === "") throw indexError(token, positions.get(key) ?? 0);
    if (value.endsWith(")") || value.endsWith("]")) value = value.slice(0, -1);
    const items = value.split(",");
    entries.set(key, key === "extras" ? items.map((s) => s.toUpperCase()) : items);
  }
  const keys = [...entries.keys()];
  for (const key of keys) {
    if (!isFilterKey(key)) {
      throw new FilterSyntaxError(
        "E_FILTER_KEY",
        `unknown filter key "${key}"; allowed keys are ${FILTER_KEYS.join(", ")}`,
        {
          token: key,
          position: positions.get(key) ?? 0,
          pythonError: { type: "ValueError", message: invalidKeyMessage(key, keys) },
        },
      );
    }
  }
  return [...entries];
}

// --- the extended grammar ------------------------------------------------------------------

interface Piece {
  text: string;
  position: number;
}

/**
 * Split `text` at any of `separators` outside double quotes. `keep(text, i)` may veto a split at
 * position `i` (used for `,`, which separates pairs only when a key follows).
 */
function splitOutsideQuotes(
  piece: Piece,
  separators: string,
  keep?: (text: string, index: number) => boolean,
): Piece[] {
  const { text } = piece;
  const out: Piece[] = [];
  let start = 0;
  let quoteStart = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const quoted = quoteStart >= 0;
    if (char === "\\" && quoted) i++;
    else if (char === '"') quoteStart = quoted ? -1 : i;
    else if (!quoted && separators.includes(char ?? "") && !keep?.(text, i)) {
      out.push({ text: text.slice(start, i), position: piece.position + start });
      start = i + 1;
    }
  }
  if (quoteStart >= 0) {
    const token = text.slice(quoteStart);
    throw new FilterSyntaxError("E_FILTER_VALUE", `unterminated quote: ${token}`, {
      token,
      position: piece.position + quoteStart,
    });
  }
  out.push({ text: text.slice(start), position: piece.position + start });
  return out;
}

function trimmed(piece: Piece): Piece {
  const lead = piece.text.length - piece.text.trimStart().length;
  return { text: piece.text.trim(), position: piece.position + lead };
}

const OPERATOR = /^\s*([A-Za-z_]+)\s*(!=|!~|=|~)/;

// A `,` separates pairs only when `key=` or `key!=` follows (the original rejects those, as a
// pair with two '='); otherwise it belongs to the value, as in the original: a list separator,
// or a character of a scalar value (`extras=A,tags~B` is the list [A, TAGS~B] in both).
function commaInsideValue(text: string, index: number): boolean {
  const match = OPERATOR.exec(text.slice(index + 1));
  if (!match || (match[2] !== "=" && match[2] !== "!=")) return true;
  const key = match[1] ?? "";
  return !(isFilterKey(key) || Object.hasOwn(KEY_ALIASES, key));
}

function unquote(piece: Piece): string {
  try {
    const value: unknown = JSON.parse(piece.text);
    if (typeof value === "string") return value;
  } catch {
    // reported below
  }
  throw new FilterSyntaxError("E_FILTER_VALUE", `malformed quoted value ${piece.text}`, {
    token: piece.text,
    position: piece.position,
  });
}

// Values are upper-cased as in the original, except tags (and quoted values).
function scalarValue(key: string, piece: Piece): string {
  if (piece.text.startsWith('"')) return unquote(piece);
  return key === "tags" ? piece.text : piece.text.toUpperCase();
}

function listValue(key: string, piece: Piece): string[] {
  let { text, position } = piece;
  if (!text.startsWith('"') && EMPTY_LIST_WORDS.includes(text.toUpperCase())) return [];
  if (text === "") {
    throw new FilterSyntaxError(
      "E_FILTER_VALUE",
      `empty value for ${key}: write ${key}=[] (or NONE) for "no ${key}"`,
      { token: `${key}=`, position },
    );
  }
  if (text.startsWith("(") || text.startsWith("[")) {
    text = text.slice(1);
    position++;
    if (text === "") {
      throw new FilterSyntaxError("E_FILTER_VALUE", `unclosed list in ${key}=${piece.text}`, {
        token: `${key}=${piece.text}`,
        position: piece.position,
      });
    }
  }
  if (text.endsWith(")") || text.endsWith("]")) text = text.slice(0, -1);
  // "[ ]" is an empty list; "[]" never gets here and ")" is [""], as in the original.
  if (text !== "" && text.trim() === "") return [];
  return splitOutsideQuotes({ text, position }, ",").map((raw) => {
    const item = trimmed(raw);
    if (item.text.startsWith('"')) return unquote(item);
    return key === "extras" ? item.text.toUpperCase() : item.text;
  });
}

function extendedValue(key: string, op: string, piece: Piece): FilterValue {
  const alternatives = splitOutsideQuotes(piece, "|").map(trimmed);
  const values: PlainValue[] = alternatives.map((alt) =>
    isListKey(key) && op !== "~" && op !== "!~" ? listValue(key, alt) : scalarValue(key, alt),
  );
  if (op === "=" && values.length === 1) return values[0] as PlainValue;
  const kind = { "=": "anyOf", "!=": "not", "~": "contains", "!~": "lacks" } as const;
  return new FilterCondition(kind[op as keyof typeof kind], values);
}

function parseExtended(text: string): FilterEntry[] {
  // Pairs first, values second: a repeated key keeps its first position and its last value,
  // and only that value is read (as in the original, where `extras=;extras=A` is fine).
  const raw = new Map<string, { op: string; value: Piece }>();
  const pairs = splitOutsideQuotes({ text, position: 0 }, ";,", (t, i) =>
    t[i] === "," ? commaInsideValue(t, i) : false,
  );
  for (const pair of pairs) {
    const match = OPERATOR.exec(pair.text);
    if (!match) {
      const token = pair.text.trim() === "" ? pair.text : pair.text.trim();
      throw new FilterSyntaxError(
        "E_FILTER_PAIR",
        pair.text.trim() === ""
          ? `empty pair at column ${pair.position + 1} of "${text}"`
          : `"${token}" is not a key=value pair (use key=value, key!=value, key~item or key!~item)`,
        { token, position: pair.position },
      );
    }
    const name = match[1] ?? "";
    const key = Object.hasOwn(KEY_ALIASES, name) ? (KEY_ALIASES[name] as FilterKey) : name;
    if (!isFilterKey(key)) {
      throw new FilterSyntaxError(
        "E_FILTER_KEY",
        `unknown filter key "${name}"; allowed keys are ${FILTER_KEYS.join(", ")}`,
        { token: name, position: pair.position + pair.text.indexOf(name) },
      );
    }
    const valuePiece = trimmed({
      text: pair.text.slice(match[0].length),
      position: pair.position + match[0].length,
    });
    const stray = splitOutsideQuotes(valuePiece, "=");
    if (stray.length > 1) {
      throw new FilterSyntaxError(
        "E_FILTER_PAIR",
        `"${pair.text.trim()}" has more than one '='; separate pairs with ';'`,
        { token: pair.text.trim(), position: pair.position },
      );
    }
    raw.set(key, { op: match[2] ?? "=", value: valuePiece });
  }
  return [...raw].map(([key, { op, value }]) => [key, extendedValue(key, op, value)]);
}

/** Parse a filter string into ordered entries. Throws `FilterSyntaxError`. */
export function parseFilterString(
  text: string,
  dialect: FilterDialect = "extended",
): FilterEntry[] {
  if (typeof text !== "string") {
    throw new FilterSyntaxError("E_FILTER_PAIR", "a filter string must be a string", {
      token: String(text),
    });
  }
  return dialect === "radifox" ? parseRadifox(text) : parseExtended(text);
}

// --- rendering -----------------------------------------------------------------------------

const SPECIAL = /[;,|[\]()"=!~\\\u0000-\u001f\u007f]/;

// Whether a value reads back as itself without quotes: no grammar characters, no surrounding
// whitespace, and already upper-case where the parser upper-cases.
function bare(text: string, foldsCase: boolean): boolean {
  return (
    text !== "" &&
    text === text.trim() &&
    !SPECIAL.test(text) &&
    (!foldsCase || text === text.toUpperCase())
  );
}

function formatScalar(text: string, foldsCase: boolean): string {
  return text === "" || bare(text, foldsCase) ? text : JSON.stringify(text);
}

function formatPlain(key: string, value: PlainValue, asList: boolean): string {
  if (!asList) return formatScalar(value as string, key !== "tags");
  const items = typeof value === "string" ? [value] : value;
  const body = items.map((item) => (bare(item, key === "extras") ? item : JSON.stringify(item)));
  return `[${body.join(",")}]`;
}

const OP_TEXT = { anyOf: "=", not: "!=", contains: "~", lacks: "!~" } as const;

/**
 * Render entries in the extended grammar so that `parseFilterString` gives them back. Values
 * the grammar cannot express are written readably but do not read back the same: predicates
 * (`<function name>`), tuples, a plain string for `extras`/`tags` (reads back as a one-item
 * list) and a list for a one-value key (reads back as a string).
 */
export function formatFilterEntries(entries: Iterable<FilterEntry>): string {
  const pairs: string[] = [];
  for (const [key, value] of entries) {
    if (typeof value === "function") {
      pairs.push(`${key}=<function ${value.name || "anonymous"}>`);
    } else if (value instanceof PyTuple) {
      pairs.push(`${key}=(${value.items.join(",")})`);
    } else if (value instanceof FilterCondition) {
      const asList = isListKey(key) && (value.op === "anyOf" || value.op === "not");
      const text = value.values.map((v) =>
        asList || Array.isArray(v)
          ? formatPlain(key, v, true)
          : formatScalar(v as string, key !== "tags"),
      );
      pairs.push(`${key}${OP_TEXT[value.op]}${text.join("|")}`);
    } else {
      // A list on a one-value key (never useful: it compares characters) reads back as a string.
      pairs.push(`${key}=${formatPlain(key, value, isListKey(key) || Array.isArray(value))}`);
    }
  }
  return pairs.join(";");
}
