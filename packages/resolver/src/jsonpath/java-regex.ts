// Jayway's `=~` compiles `/pattern/flags` with java.util.regex and calls Matcher.matches(), so the
// pattern must match the WHOLE input. This module rewrites the Java pattern into an equivalent
// JavaScript one (unicode mode) and anchors it; constructs JavaScript cannot express
// (possessive quantifiers, atomic groups, nested classes, class intersection, `\G`) are
// rejected as an invalid path, never approximated silently.
import { invalidPath } from "./errors.js";
import { type JavaFlags, readFlags, stripComments, takeInlineFlags } from "./java-regex-flags.js";

/** Returns a test of `Matcher.matches()` for the Java regex; throws InvalidPath if unusable. */
export function compileJavaRegex(pattern: string, flagLetters: string): (input: string) => boolean {
  const regex = wholeInputRegExp(pattern, flagLetters);
  return (input) => regex.test(input);
}

/**
 * The Java regex as a JavaScript RegExp that only matches the whole input (lookarounds, not
 * `^…$`, so that the `m` flag cannot weaken the anchoring). Stateless: no `g` or `y` flag.
 */
export function wholeInputRegExp(pattern: string, flagLetters: string): RegExp {
  const flags = readFlags(flagLetters);
  const body = takeInlineFlags(pattern, flags);
  const source = new Translator(flags.comments ? stripComments(body) : body, flags).run();
  const jsFlags = `u${flags.multiline ? "m" : ""}${flags.caseInsensitive && flags.unicodeCase ? "i" : ""}`;
  try {
    return new RegExp(`(?<![\\s\\S])(?:${source})(?![\\s\\S])`, jsFlags);
  } catch (error) {
    throw invalidPath(`Invalid regex /${pattern}/${flagLetters}: ${(error as Error).message}`);
  }
}

const LINE_END = "(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])";
const H_SPACE = "\\t \\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000";
const V_SPACE = "\\n\\x0B\\f\\r\\x85\\u2028\\u2029";
const JAVA_SPACE = "\\t\\n\\x0B\\f\\r ";
/** POSIX classes of java.util.regex (US-ASCII), as class contents. */
const POSIX: Readonly<Record<string, string>> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\x2F:-@\\x5B-\\x60\\x7B-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: JAVA_SPACE,
};
/** Characters that need a backslash to be literal in a unicode-mode JavaScript regex. */
const SYNTAX = "^$\\.*+?()[]{}|/";

/** One left-to-right pass; `inClass` switches between the two contexts of Java's grammar. */
class Translator {
  private out = "";
  private i = 0;
  private inClass = false;
  private classFirst = false;
  /** Case partners to add before the current class closes (ASCII-only CASE_INSENSITIVE). */
  private classExtra = "";
  /** Last plain character in the class, the possible start of a range. */
  private lastClassChar: number | null = null;
  private afterQuantifier = false;
  private readonly foldAscii: boolean;

  constructor(
    private readonly src: string,
    private readonly flags: JavaFlags,
  ) {
    this.foldAscii = flags.caseInsensitive && !flags.unicodeCase;
  }

  run(): string {
    while (this.i < this.src.length) {
      if (this.inClass) this.classChar();
      else this.outsideChar();
    }
    if (this.inClass) throw this.unsupported("Unclosed character class");
    return this.out;
  }

  private outsideChar(): void {
    const c = this.src.charAt(this.i);
    const wasQuantifier = this.afterQuantifier;
    this.afterQuantifier = false;
    if (c === "+" && wasQuantifier) throw this.unsupported("possessive quantifiers");
    if ((c === "*" || c === "{") && wasQuantifier)
      throw this.unsupported("Dangling meta character");
    if ((c === "*" || c === "+" || c === "?") && !wasQuantifier) {
      this.emit(c, 1);
      this.afterQuantifier = true;
    } else if (c === "?") {
      this.emit(c, 1); // lazy modifier
    } else if (c === "{") {
      this.repetition();
    } else if (c === "\\") {
      this.escape();
    } else if (c === "[") {
      this.openClass();
    } else if (c === "(") {
      this.group();
    } else if (c === ".") {
      this.emit(this.dot(), 1);
    } else if (c === "$" && !this.flags.multiline) {
      this.emit(this.flags.unixLines ? "(?=\\n?(?![\\s\\S]))" : `(?=${LINE_END}?(?![\\s\\S]))`, 1);
    } else if (c === "]" || c === "}") {
      this.emit(`\\${c}`, 1);
    } else if ("^$|)".includes(c)) {
      this.emit(c, 1);
    } else {
      this.literal(c.codePointAt(0) ?? 0, 1);
    }
  }

  private repetition(): void {
    const m = /^\{\d+(?:,\d*)?\}/.exec(this.src.slice(this.i));
    if (!m) throw this.unsupported("Illegal repetition");
    this.emit(m[0], m[0].length);
    this.afterQuantifier = true;
  }

  private group(): void {
    const rest = this.src.slice(this.i);
    if (rest.startsWith("(?>")) throw this.unsupported("atomic groups");
    if (!rest.startsWith("(?")) {
      this.emit("(", 1);
      return;
    }
    const prefix = /^\(\?(?:[:=!]|<[=!]|<[a-zA-Z][a-zA-Z0-9]*>)/.exec(rest);
    if (prefix) {
      this.emit(prefix[0], prefix[0].length);
      return;
    }
    throw this.unsupported("inline flags inside the pattern");
  }

  private dot(): string {
    if (this.flags.dotAll) return "[\\s\\S]";
    return this.flags.unixLines ? "[^\\n]" : "[^\\n\\r\\u0085\\u2028\\u2029]";
  }

  private openClass(): void {
    this.inClass = true;
    this.classFirst = true;
    this.classExtra = "";
    this.lastClassChar = null;
    const negated = this.src.charAt(this.i + 1) === "^";
    this.emit(negated ? "[^" : "[", negated ? 2 : 1);
  }

  private classChar(): void {
    const c = this.src.charAt(this.i);
    const first = this.classFirst;
    this.classFirst = false;
    if (c === "]" && !first) {
      this.inClass = false;
      this.emit(`${this.classExtra}]`, 1);
    } else if (c === "[") {
      throw this.unsupported("nested character classes");
    } else if (c === "&" && this.src.charAt(this.i + 1) === "&") {
      throw this.unsupported("character class intersection");
    } else if (c === "\\") {
      this.escape();
    } else if (c === "-" && this.lastClassChar !== null && this.rangeEndFollows()) {
      this.range();
    } else if (c === "-" && this.lastClassChar !== null && this.src.charAt(this.i + 1) === "\\") {
      this.emit("-", 1); // a range ending in an escape; not case-folded
      this.lastClassChar = null;
    } else {
      this.literal(c.codePointAt(0) ?? 0, c.length);
    }
  }

  private rangeEndFollows(): boolean {
    const next = this.src.charAt(this.i + 1);
    return next !== "" && next !== "]" && next !== "\\" && next !== "[";
  }

  /** `a-z` in a class, with its case partners when folding ASCII. */
  private range(): void {
    const low = this.lastClassChar ?? 0;
    const high = this.src.codePointAt(this.i + 1) ?? 0;
    const end = String.fromCodePoint(high);
    this.emit(`-${classLiteral(end)}`, 1 + end.length);
    this.lastClassChar = null;
    if (this.foldAscii) {
      this.classExtra += shiftedRange(low, high, 0x41, 0x5a, 32);
      this.classExtra += shiftedRange(low, high, 0x61, 0x7a, -32);
    }
  }

  /** A character that stands for itself. */
  private literal(code: number, length: number): void {
    const c = String.fromCodePoint(code);
    const partner = this.foldAscii ? asciiPartner(c) : null;
    if (this.inClass) {
      this.emit(classLiteral(c), length);
      this.lastClassChar = code;
      if (partner) this.classExtra += partner;
    } else {
      this.emit(partner ? `[${c}${partner}]` : escapeLiteral(c), length);
    }
  }

  private escape(): void {
    const c = this.src.charAt(this.i + 1);
    if (c === "") throw this.unsupported("trailing backslash");
    if (c === "Q") {
      this.quoted();
      return;
    }
    const consumedBefore = this.i;
    const translated = this.inClass ? this.classEscape(c) : this.outsideEscape(c);
    if (translated !== null) {
      if (this.i === consumedBefore) this.i += 2;
      this.out += translated;
      if (this.inClass) this.lastClassChar = null;
      return;
    }
    if (/[a-zA-Z]/.test(c)) throw this.unsupported(`\\${c}`);
    this.i += 1; // a backslash before a non-letter makes it literal in Java
    this.literal(c.codePointAt(0) ?? 0, c.length);
  }

  /** Escapes common to both contexts; null when the character is not an escape letter/digit. */
  private commonEscape(c: string): string | null {
    switch (c) {
      case "t":
      case "n":
      case "r":
      case "f":
      case "d":
      case "D":
      case "w":
      case "W":
        return `\\${c}`;
      case "a":
        return "\\x07";
      case "e":
        return "\\x1B";
      case "c":
        this.i += 3;
        return `\\c${this.src.charAt(this.i - 1)}`;
      case "x":
        return this.hexEscape();
      case "u":
        return this.fixedEscape(/^\\u[0-9a-fA-F]{4}/);
      case "0":
        return this.octalEscape();
      case "p":
      case "P":
        return this.property(c === "P");
      default:
        return null;
    }
  }

  private outsideEscape(c: string): string | null {
    const common = this.commonEscape(c);
    if (common !== null) return common;
    switch (c) {
      case "s":
        return `[${JAVA_SPACE}]`;
      case "S":
        return `[^${JAVA_SPACE}]`;
      case "h":
        return `[${H_SPACE}]`;
      case "H":
        return `[^${H_SPACE}]`;
      case "v":
        return `[${V_SPACE}]`;
      case "V":
        return `[^${V_SPACE}]`;
      case "R":
        return `(?:\\r\\n|[${V_SPACE}])`;
      case "b":
      case "B":
        return `\\${c}`;
      case "A":
        return "(?<![\\s\\S])";
      case "z":
        return "(?![\\s\\S])";
      case "Z":
        return `(?=${LINE_END}?(?![\\s\\S]))`;
      case "k":
        return this.fixedEscape(/^\\k<[a-zA-Z][a-zA-Z0-9]*>/);
      default:
        return /[1-9]/.test(c) ? this.fixedEscape(/^\\[1-9]\d*/) : null;
    }
  }

  private classEscape(c: string): string | null {
    const common = this.commonEscape(c);
    if (common !== null) return common;
    if (c === "s") return JAVA_SPACE;
    if (c === "S") return "\\S";
    if (c === "h") return H_SPACE;
    if (c === "v") return V_SPACE;
    return null;
  }

  private hexEscape(): string {
    const braced = /^\\x\{([0-9a-fA-F]+)\}/.exec(this.src.slice(this.i));
    if (braced) {
      this.i += braced[0].length;
      return `\\u{${braced[1]}}`;
    }
    return this.fixedEscape(/^\\x[0-9a-fA-F]{2}/);
  }

  /** Java's `\0n`, `\0nn`, `\0mnn` (m ≤ 3). */
  private octalEscape(): string {
    const m = /^\\0([0-3][0-7]{2}|[0-7]{1,2})/.exec(this.src.slice(this.i));
    if (!m) throw this.unsupported("Illegal octal escape sequence");
    this.i += m[0].length;
    return `\\u{${Number.parseInt(m[1] ?? "0", 8).toString(16)}}`;
  }

  private fixedEscape(shape: RegExp): string {
    const m = shape.exec(this.src.slice(this.i));
    if (!m) throw this.unsupported(`malformed escape at ${this.i}`);
    this.i += m[0].length;
    return m[0];
  }

  /** `\p{Name}`, `\pL`: POSIX names become ASCII classes, Unicode names pass through. */
  private property(negated: boolean): string {
    const m = /^\\[pP](?:\{([^}]*)\}|([a-zA-Z]))/.exec(this.src.slice(this.i));
    if (!m) throw this.unsupported("malformed \\p escape");
    this.i += m[0].length;
    const written = m[1] ?? m[2] ?? "";
    const name = written.replace(/^Is(?=[A-Z])/, "");
    const posix = POSIX[name];
    if (posix === undefined) {
      if (/^(?:In|java)/.test(name)) throw this.unsupported(`\\p{${name}}`);
      // Java's `\p{IsLatin}` names a script; JavaScript spells it `\p{Script=Latin}`.
      const isScript = written !== name && name.length > 2 && !isUnicodeProperty(name);
      return `\\${negated ? "P" : "p"}{${isScript ? `Script=${name}` : name}}`;
    }
    if (!this.inClass) return `[${negated ? "^" : ""}${posix}]`;
    if (negated) throw this.unsupported("negated POSIX class inside a class");
    return posix;
  }

  /** `\Q…\E`: everything in between is literal. */
  private quoted(): void {
    const end = this.src.indexOf("\\E", this.i + 2);
    const text = this.src.slice(this.i + 2, end < 0 ? this.src.length : end);
    this.i = end < 0 ? this.src.length : end + 2;
    for (const c of text) this.literal(c.codePointAt(0) ?? 0, 0);
  }

  private emit(text: string, consumed: number): void {
    this.out += text;
    this.i += consumed;
  }

  private unsupported(what: string) {
    return invalidPath(`Unsupported Java regex construct: ${what}`);
  }
}

/** A general category or binary property JavaScript knows (`L`, `Lu`, `Alphabetic`). */
function isUnicodeProperty(name: string): boolean {
  try {
    new RegExp(`\\p{${name}}`, "u");
    return true;
  } catch {
    return false;
  }
}

function escapeLiteral(c: string): string {
  return SYNTAX.includes(c) ? `\\${c}` : c;
}

function classLiteral(c: string): string {
  return "\\]-[^".includes(c) ? `\\${c}` : c;
}

function asciiPartner(c: string): string | null {
  if (/[a-z]/.test(c)) return c.toUpperCase();
  if (/[A-Z]/.test(c)) return c.toLowerCase();
  return null;
}

/** The part of [low, high] inside [from, to], shifted by `by`, as class contents. */
function shiftedRange(low: number, high: number, from: number, to: number, by: number): string {
  const start = Math.max(low, from);
  const end = Math.min(high, to);
  if (start > end) return "";
  return `${String.fromCharCode(start + by)}-${String.fromCharCode(end + by)}`;
}
