// `radifox.naming.glob`: Python 3.11's `glob.glob` (fnmatch patterns, hidden-file rule,
// recursive `**`) with every match wrapped in an ImageFile. Results come in pathlib order
// (the original returns directory order, which is not reproducible).
import { type Dirent, lstatSync, readdirSync, statSync } from "node:fs";
import { NamingError } from "./errors.js";
import { ImageFile } from "./image-file.js";
import { compareCodePoints } from "./python-text.js";

const MAGIC = /[*?[]/;

function hasMagic(text: string): boolean {
  return MAGIC.test(text);
}

const isHidden = (name: string) => name.startsWith(".");
const isRecursive = (pattern: string) => pattern === "**";

/** `os.path.split`: the head keeps a root of only slashes, otherwise loses trailing slashes. */
function splitPath(path: string): [string, string] {
  const cut = path.lastIndexOf("/") + 1;
  let head = path.slice(0, cut);
  const tail = path.slice(cut);
  if (head && !/^\/+$/.test(head)) head = head.replace(/\/+$/, "");
  return [head, tail];
}

/** `os.path.join` of two components. */
function joinPath(dir: string, name: string): string {
  if (name.startsWith("/") || dir === "") return name;
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

function exists(path: string, followLinks: boolean): boolean {
  try {
    if (followLinks) return statSync(path).isDirectory();
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDirectoryEntry(dir: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  return entry.isSymbolicLink() && exists(joinPath(dir, entry.name), true);
}

/** Directory entries in code point order; an unreadable directory has none (as in Python). */
function listDir(dir: string, dirsOnly: boolean): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir || ".", { withFileTypes: true });
  } catch {
    return [];
  }
  const names = dirsOnly
    ? entries.filter((e) => isDirectoryEntry(dir || ".", e)).map((e) => e.name)
    : entries.map((e) => e.name);
  return names.sort(compareCodePoints);
}

// --- fnmatch ---------------------------------------------------------------------------

const escapeChar = (char: string) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;

/**
 * The regular expression of a bracket expression `[...]` (content without the brackets), by
 * fnmatch's rules: `!` negates, `-` makes ranges, empty ranges such as `z-a` are dropped.
 */
function bracketClass(content: string[]): string {
  if (!content.includes("-")) {
    if (content.length === 1 && content[0] === "!") return "[^]";
    return setOf(content);
  }
  const chunks: string[][] = [];
  let start = 0;
  let k = content[0] === "!" ? 2 : 1;
  for (;;) {
    k = content.indexOf("-", k);
    if (k < 0) break;
    chunks.push(content.slice(start, k));
    start = k + 1;
    k += 3;
  }
  const last = content.slice(start);
  if (last.length > 0) chunks.push(last);
  else chunks[chunks.length - 1]?.push("-");
  for (let i = chunks.length - 1; i > 0; i--) {
    const before = chunks[i - 1] ?? [];
    const after = chunks[i] ?? [];
    if (compareCodePoints(before[before.length - 1] ?? "", after[0] ?? "") > 0) {
      chunks[i - 1] = [...before.slice(0, -1), ...after.slice(1)];
      chunks.splice(i, 1);
    }
  }
  const flat = chunks.flatMap((chunk, i) => (i === 0 ? chunk : ["\u0000range", ...chunk]));
  if (flat.length === 0) return "(?!)";
  if (flat.length === 1 && flat[0] === "!") return "[^]";
  return setOf(flat);
}

function setOf(items: string[]): string {
  const negate = items[0] === "!";
  const body = (negate ? items.slice(1) : items)
    .map((item) => (item === "\u0000range" ? "-" : escapeChar(item)))
    .join("");
  return negate ? `[^${body}]` : `[${body}]`;
}

/** `fnmatch.translate` as a JavaScript RegExp matching a whole name. */
export function fnmatchRegExp(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let source = "";
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] ?? "";
    if (char === "*") {
      if (!source.endsWith(".*")) source += ".*";
    } else if (char === "?") {
      source += ".";
    } else if (char === "[") {
      let j = i + 1;
      if (chars[j] === "!") j++;
      if (chars[j] === "]") j++;
      while (j < chars.length && chars[j] !== "]") j++;
      if (j >= chars.length) {
        source += escapeChar("[");
      } else {
        source += bracketClass(chars.slice(i + 1, j));
        i = j;
      }
    } else {
      source += escapeChar(char);
    }
  }
  try {
    return new RegExp(`^(?:${source})$`, "su");
  } catch (error) {
    throw new NamingError("E_GLOB_PATTERN", `cannot use glob pattern "${pattern}"`, {
      cause: error,
    });
  }
}

// --- glob ------------------------------------------------------------------------------

// `os.path.isdir("")` is false in Python, so an empty pattern matches nothing.
function globLiteral(dir: string, name: string): string[] {
  if (name) return exists(joinPath(dir || ".", name), false) ? [name] : [];
  return dir !== "" && exists(dir, true) ? [name] : [];
}

function globMagic(dir: string, pattern: string, dirsOnly: boolean): string[] {
  const regexp = fnmatchRegExp(pattern);
  let names = listDir(dir, dirsOnly);
  if (!isHidden(pattern)) names = names.filter((name) => !isHidden(name));
  return names.filter((name) => regexp.test(name));
}

function globRecursive(dir: string, dirsOnly: boolean): string[] {
  const out = [""];
  const walk = (path: string, prefix: string) => {
    for (const name of listDir(path, dirsOnly)) {
      if (isHidden(name)) continue;
      const rel = prefix ? joinPath(prefix, name) : name;
      out.push(rel);
      walk(path ? joinPath(path, name) : name, rel);
    }
  };
  walk(dir, "");
  return out;
}

function iglob(pattern: string, recursive: boolean, dirsOnly: boolean): string[] {
  const [dir, base] = splitPath(pattern);
  if (!hasMagic(pattern)) return globLiteral(dir, base).map((name) => joinPath(dir, name));
  const inDir = (d: string): string[] => {
    if (recursive && isRecursive(base)) return globRecursive(d, dirsOnly);
    if (hasMagic(base)) return globMagic(d, base, dirsOnly);
    return globLiteral(d, base);
  };
  if (!dir) return inDir("");
  const dirs = dir !== pattern && hasMagic(dir) ? iglob(dir, recursive, true) : [dir];
  return dirs.flatMap((d) => inDir(d).map((name) => joinPath(d, name)));
}

/**
 * Files matching a glob pattern, as `ImageFile`s (`radifox.naming.glob`). Python's rules:
 * `*` and `?` do not match a leading `.`; `**` crosses folders only with `recursive: true`;
 * a relative pattern is taken from the current directory. Results are in pathlib order.
 */
export function globSync(pattern: string, options: { recursive?: boolean } = {}): ImageFile[] {
  const recursive = options.recursive ?? false;
  const paths = iglob(pattern, recursive, false);
  // Python drops the empty first match a leading `**` produces (the current directory itself).
  if (recursive && isRecursive(pattern.slice(0, 2)) && paths[0] === "") paths.shift();
  return paths.map((path) => new ImageFile(path));
}
