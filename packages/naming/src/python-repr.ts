// Python `str()`/`repr()` renderings of plain values. RADIFOX writes `str(value)` into filter
// strings and provenance records, and the record Id hashes that text, so it must be exact.

/** A Python tuple: renders as `('a',)` and never equals a list (a filter given a tuple never matches). */
export class PyTuple<T = unknown> {
  readonly items: readonly T[];

  constructor(items: readonly T[]) {
    this.items = Object.freeze([...items]);
  }
}

/**
 * A Python float. JavaScript numbers do not say whether `2` was `2` or `2.0`; wrap a value in
 * `PyFloat` when its Python rendering must be a float (`2.0`, `nan`).
 */
export class PyFloat {
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }
}

/** Shorthand for `new PyFloat(value)`. */
export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

/** Shorthand for `new PyTuple([...items])`. */
export function pyTuple<T>(...items: T[]): PyTuple<T> {
  return new PyTuple(items);
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

/** Python `repr(str)`: quote choice, backslash escapes and `\x`/`\u`/`\U` for unprintables. */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === quote || char === "\\") out += `\\${char}`;
    else if (char === "\t") out += "\\t";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f) out += char;
    else if (code === 0x20 || !NOT_PRINTABLE.test(char)) out += char;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
}

/**
 * Python `repr(float)`: the shortest round-trip digits, positional for exponents -4..15 (with a
 * trailing `.0` when integral), otherwise scientific with a signed two-digit-minimum exponent
 * (`1e-05`, `1e+16`, `2.5e-07`).
 */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa = "", exponentText = "0"] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? "-" : "+";
    return `${sign}${body}e${expSign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const intLength = exponent + 1;
  if (digits.length <= intLength) return `${sign}${digits.padEnd(intLength, "0")}.0`;
  return `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
}

/**
 * Python `repr()` of a plain value: strings, integers (`number` with an integral value or
 * `bigint`), other numbers as floats, booleans (`True`), `null`/`undefined` (`None`), arrays
 * (lists), `PyTuple`s, `PyFloat`s, plain objects and `Map`s (dicts, in insertion order), functions,
 * and objects with a `toPythonString()` method (rendered by it, e.g. `ImageFilter`).
 */
export function pythonRepr(value: unknown): string {
  if (typeof value === "string") return pythonStringRepr(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    return Number.isInteger(value) && !Object.is(value, -0)
      ? BigInt(value).toString()
      : pythonFloatRepr(value);
  }
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  if (value === null || value === undefined) return "None";
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (value instanceof PyTuple) {
    const items = value.items.map(pythonRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if (typeof value === "function") return `<function ${value.name || "<lambda>"}>`;
  if (hasPythonString(value)) return value.toPythonString();
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return `{${entries.map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(", ")}}`;
}

function hasPythonString(value: unknown): value is { toPythonString(): string } {
  return typeof (value as { toPythonString?: unknown } | null)?.toPythonString === "function";
}

/**
 * Python `str()`: strings as they are, objects with `toPythonString()` by it (`str(filter)`),
 * everything else as `repr()`.
 */
export function pythonStr(value: unknown): string {
  if (typeof value === "string") return value;
  return pythonRepr(value);
}
