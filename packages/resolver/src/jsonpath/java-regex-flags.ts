// The flag side of Jayway's regex literals: its PatternFlag letters, leading inline `(?i)`
// groups, and COMMENTS mode (`x`), which strips whitespace and comments before translation.

/** Jayway's PatternFlag letters; any other letter is ignored, as Jayway ignores it. */
export interface JavaFlags {
  caseInsensitive: boolean; // i
  multiline: boolean; // m
  dotAll: boolean; // s
  comments: boolean; // x
  unixLines: boolean; // d
  unicodeCase: boolean; // u (Unicode case folding with i; without it Java folds ASCII only)
}

/** The flags `letters` name, added to `into` when given. */
export function readFlags(letters: string, into?: JavaFlags): JavaFlags {
  const flags = into ?? {
    caseInsensitive: false,
    multiline: false,
    dotAll: false,
    comments: false,
    unixLines: false,
    unicodeCase: false,
  };
  for (const c of letters) {
    if (c === "i") flags.caseInsensitive = true;
    else if (c === "m") flags.multiline = true;
    else if (c === "s") flags.dotAll = true;
    else if (c === "x") flags.comments = true;
    else if (c === "d") flags.unixLines = true;
    else if (c === "u") flags.unicodeCase = true;
  }
  return flags;
}

/** Leading `(?imsx)` groups become flags; inline flags anywhere else are rejected later. */
export function takeInlineFlags(pattern: string, flags: JavaFlags): string {
  const INLINE = /^\(\?([idmsuxUc]+)\)/;
  let rest = pattern;
  for (let m = INLINE.exec(rest); m; m = INLINE.exec(rest)) {
    readFlags(m[1] ?? "", flags);
    rest = rest.slice(m[0].length);
  }
  return rest;
}

/** COMMENTS mode: unescaped whitespace and `#…` to the end of the line are not part of it. */
export function stripComments(pattern: string): string {
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (pattern.startsWith("\\Q", i)) {
      const close = pattern.indexOf("\\E", i + 2);
      const end = close < 0 ? pattern.length : close + 2;
      out += pattern.slice(i, end);
      i = end;
    } else if (c === "\\") {
      out += pattern.slice(i, i + 2);
      i += 2;
    } else if (c === "#") {
      const newline = pattern.indexOf("\n", i);
      i = newline < 0 ? pattern.length : newline + 1;
    } else {
      if (!/[ \t\n\x0B\f\r]/.test(c)) out += c;
      i++;
    }
  }
  return out;
}
