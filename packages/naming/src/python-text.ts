// String operations with Python 3 semantics. RADIFOX names and filters are processed by
// Python in the original; where JavaScript's built-ins differ (UTF-16 code units versus code
// points, str.title, str.replace with an empty pattern) these helpers give Python's answer.

/**
 * Compare two strings by Unicode code point, as Python does. JavaScript's `<` compares UTF-16
 * code units, which puts characters above U+FFFF (stored as surrogate pairs) before
 * U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a.charCodeAt(i) === b.charCodeAt(i)) continue;
    // Compare whole code points from where they start: a pair's high surrogate may be the
    // last unit both strings share. Lone surrogates count as themselves, as in Python.
    if (i > 0 && isHighSurrogate(a.charCodeAt(i - 1))) {
      const order = (a.codePointAt(i - 1) ?? 0) - (b.codePointAt(i - 1) ?? 0);
      if (order !== 0) return order;
    }
    return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
  }
  return a.length - b.length;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** Python `str.replace(old, new)`; an empty `old` inserts `new` around every code point. */
export function pythonReplace(text: string, old: string, replacement: string): string {
  if (old !== "") return text.split(old).join(replacement);
  return replacement + Array.from(text).join(replacement) + (text === "" ? "" : replacement);
}

const CASED = /\p{Cased}/u;
const CASE_IGNORABLE = /\p{Case_Ignorable}/u;

// Characters whose title case is not "upper case, then the rest lower-cased" (Unicode's
// UnicodeData and SpecialCasing title mappings): the Latin digraphs, n-apostrophe, and Greek
// letters with iota subscript, which keep it (as prosgegrammeni or U+0345) in title case.
const TITLE_CASE = new Map<number, string>([
  [0x01c4, "ǅ"],
  [0x01c5, "ǅ"],
  [0x01c6, "ǅ"],
  [0x01c7, "ǈ"],
  [0x01c8, "ǈ"],
  [0x01c9, "ǈ"],
  [0x01ca, "ǋ"],
  [0x01cb, "ǋ"],
  [0x01cc, "ǋ"],
  [0x01f1, "ǲ"],
  [0x01f2, "ǲ"],
  [0x01f3, "ǲ"],
  [0x0149, "\u02bcN"],
  [0x1fb2, "\u1fba\u0345"],
  [0x1fb3, "\u1fbc"],
  [0x1fb4, "\u0386\u0345"],
  [0x1fb7, "\u0391\u0342\u0345"],
  [0x1fbc, "\u1fbc"],
  [0x1fc2, "\u1fca\u0345"],
  [0x1fc3, "\u1fcc"],
  [0x1fc4, "\u0389\u0345"],
  [0x1fc7, "\u0397\u0342\u0345"],
  [0x1fcc, "\u1fcc"],
  [0x1ff2, "\u1ffa\u0345"],
  [0x1ff3, "\u1ffc"],
  [0x1ff4, "\u038f\u0345"],
  [0x1ff7, "\u03a9\u0342\u0345"],
  [0x1ffc, "\u1ffc"],
]);
// U+1F80..U+1FAF: each block of 16 maps its first eight (small, with ypogegrammeni) and its
// last eight (capital, with prosgegrammeni) to the capital form.
for (let code = 0x1f80; code <= 0x1faf; code++) {
  TITLE_CASE.set(code, String.fromCodePoint(code | 0x08));
}

function titleCaseChar(char: string): string {
  const special = TITLE_CASE.get(char.codePointAt(0) ?? 0);
  if (special) return special;
  const upper = Array.from(char.toUpperCase());
  return upper[0] + upper.slice(1).join("").toLowerCase();
}

/**
 * Whether the capital sigma at `index` ends a word, so that it lower-cases to `ς`: a cased
 * letter comes before it and none after it (case-ignorable characters skipped both ways).
 */
function isFinalSigma(chars: string[], index: number): boolean {
  const casedAt = (from: number, step: number) => {
    for (let j = from; j >= 0 && j < chars.length; j += step) {
      const char = chars[j] ?? "";
      if (!CASE_IGNORABLE.test(char)) return CASED.test(char);
    }
    return false;
  };
  return casedAt(index - 1, -1) && !casedAt(index + 1, 1);
}

/**
 * Python `str.title()`: a cased character after an uncased one starts a word and is title-cased,
 * every other cased character is lower-cased (`t1w` -> `T1W`, `x2y` -> `X2Y`).
 */
export function pythonTitle(text: string): string {
  const chars = Array.from(text);
  let out = "";
  let previousCased = false;
  for (const [i, char] of chars.entries()) {
    if (!previousCased) out += titleCaseChar(char);
    else if (char === "Σ") out += isFinalSigma(chars, i) ? "ς" : "σ";
    else out += char.toLowerCase();
    previousCased = CASED.test(char);
  }
  return out;
}
