// Numbers as Jayway sees them. Its filter nodes hold java.math.BigDecimal values built from the
// Java `toString()` of the JSON number (Integer "176", Double "12.5" or "1.0E10"), and compare a
// number with a string through that text, so `"1" == 1` holds but `"1.0" == 1` does not.

/** A BigDecimal: `digits` (no leading zeros, "0" for zero) times 10^-scale. */
export interface Decimal {
  readonly negative: boolean;
  readonly digits: string;
  readonly scale: number;
}

/** `new BigDecimal(text)`'s grammar: no spaces, optional sign, optional fraction and exponent. */
const BIG_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses like `new BigDecimal(text)`; null where Java throws NumberFormatException. */
export function parseDecimal(text: string): Decimal | null {
  const match = BIG_DECIMAL.exec(text);
  if (!match) return null;
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match;
  if (whole === "" && fraction === "") return null;
  const exp = Number(exponent);
  if (!Number.isSafeInteger(exp)) return null;
  const digits = (whole + fraction).replace(/^0+(?=.)/, "");
  const zero = /^0*$/.test(digits);
  return {
    negative: sign === "-" && !zero,
    digits: zero ? "0" : digits,
    scale: fraction.length - exp,
  };
}

/** `BigDecimal.toString()`: plain unless the scale is negative or the value is tiny. */
export function decimalToString(d: Decimal): string {
  const sign = d.negative ? "-" : "";
  const { digits, scale } = d;
  if (scale === 0) return sign + digits;
  const adjusted = digits.length - 1 - scale;
  if (scale > 0 && adjusted >= -6) {
    if (digits.length > scale) {
      const point = digits.length - scale;
      return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
    }
    return `${sign}0.${"0".repeat(scale - digits.length)}${digits}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}E${adjusted >= 0 ? "+" : ""}${adjusted}`;
}

/** `a.compareTo(b)` of two BigDecimals: exact, whatever their scales. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const aZero = a.digits === "0";
  const bZero = b.digits === "0";
  if (aZero || bZero) return signum(a, aZero) - signum(b, bZero);
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  const magnitude = compareMagnitudes(a, b);
  return a.negative ? -magnitude : magnitude;
}

function signum(d: Decimal, zero: boolean): number {
  if (zero) return 0;
  return d.negative ? -1 : 1;
}

function compareMagnitudes(a: Decimal, b: Decimal): number {
  const aExp = a.digits.length - a.scale;
  const bExp = b.digits.length - b.scale;
  if (aExp !== bExp) return aExp < bExp ? -1 : 1;
  const width = Math.max(a.digits.length, b.digits.length);
  const aPadded = a.digits.padEnd(width, "0");
  const bPadded = b.digits.padEnd(width, "0");
  if (aPadded === bPadded) return 0;
  return aPadded < bPadded ? -1 : 1;
}

/** `BigDecimal.intValue()` for the sizes a filter uses: truncated toward zero. */
export function decimalIntValue(d: Decimal): number {
  return Math.trunc(Number(decimalToString(d))) | 0;
}

/**
 * `Double.toString(x)`: decimal notation with at least one fraction digit between 10^-3 and
 * 10^7, otherwise `d.dddE±n` (no "+"). JavaScript's shortest round-trip digits are the same
 * digits modern Java prints.
 */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(x);
    return text.includes(".") ? text : `${text}.0`;
  }
  const [mantissa = "", exponent = ""] = x.toExponential().split("e");
  const withPoint = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return `${withPoint}E${exponent.replace("+", "")}`;
}

/**
 * The `toString()` of the Java number Jackson makes of a JSON number. JavaScript cannot tell
 * `1` from `1.0`, so integral values are taken to be Integer/Long (what XNAT documents hold);
 * other values are Doubles.
 */
export function javaNumberText(x: number): string {
  return Number.isSafeInteger(x) ? String(x) : javaDoubleToString(x);
}
