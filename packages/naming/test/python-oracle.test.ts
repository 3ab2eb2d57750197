// Differential tests against the real CPython interpreter: our re-implementations of Python
// behaviour (pathlib, str methods, repr, glob, fnmatch) must answer what Python answers.
// Inputs come from fast-check with fixed seeds; each property sends its whole batch to ONE
// python3 process as JSON on stdin and compares the JSON it prints.
import { spawnSync } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  compareCodePoints,
  comparePaths,
  fnmatchRegExp,
  globSync,
  NamingError,
  PyTuple,
  pathSuffixes,
  pythonFloatRepr,
  pythonReplace,
  pythonRepr,
  pythonStringRepr,
  pythonTitle,
} from "../src/index.js";

const PYTHON = process.env.PYTHON ?? "python3";
const SEED = 424242;
const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number, seed = SEED): T[] =>
  fc.sample(arb, { seed, numRuns });

// --- the interpreter ---------------------------------------------------------------------------

const probe = spawnSync(
  PYTHON,
  [
    "-c",
    "import sys, unicodedata; print('%d.%d.%d' % sys.version_info[:3], unicodedata.unidata_version)",
  ],
  { encoding: "utf8" },
);
const [pythonVersion, unicodeVersion] =
  probe.status === 0 ? probe.stdout.trim().split(" ") : [undefined, undefined];
const skipReason = pythonVersion
  ? undefined
  : `${PYTHON} is not available (${probe.error?.message ?? probe.stderr?.trim() ?? "no output"})`;

if (skipReason && process.env.CI !== "true") {
  console.warn(`skipping the Python oracle tests: ${skipReason}`);
}
if (pythonVersion && !pythonVersion.startsWith("3.11.")) {
  console.warn(
    `the Python oracle expects Python 3.11 semantics; ${PYTHON} is ${pythonVersion} (set PYTHON=python3.11)`,
  );
}

/** Run `body` (which reads `data` and sets `out`) in one Python process. */
function python<T>(body: string, input: unknown, cwd?: string): T {
  const script = [
    "import json, sys",
    "data = json.loads(sys.stdin.buffer.read())",
    body,
    "sys.stdout.write(json.dumps(out))",
  ].join("\n");
  const result = spawnSync(PYTHON, ["-c", script], {
    input: JSON.stringify(input),
    cwd,
    maxBuffer: 1 << 28,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${PYTHON} exited with ${result.status}:\n${result.stderr.toString("utf8")}`);
  }
  return JSON.parse(result.stdout.toString("utf8")) as T;
}

interface Mismatch {
  input: unknown;
  ours: unknown;
  python: unknown;
}

// Characters a failure message would not show legibly: controls, surrogates, unassigned,
// private use, line/paragraph separators and specials; they are written as \u{...}.
const ILLEGIBLE = /[\p{Cc}\p{Cs}\p{Cn}\p{Co}\p{Zl}\p{Zp}\ufff0-\uffff]/gu;
function legible(value: unknown): unknown {
  if (typeof value === "string") {
    return value.replace(ILLEGIBLE, (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`);
  }
  if (Array.isArray(value)) return value.map(legible);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, legible(v)]));
  }
  return value;
}

/** Assert no mismatches; on failure show the count and the shortest few inputs. */
function expectAgreement(mismatches: Mismatch[], checked: number) {
  expect(checked).toBeGreaterThan(0);
  const shortest = [...mismatches]
    .sort((a, b) => JSON.stringify(a.input).length - JSON.stringify(b.input).length)
    .slice(0, 8)
    .map(legible);
  expect({ mismatches: mismatches.length, of: checked, shortest }).toEqual({
    mismatches: 0,
    of: checked,
    shortest: [],
  });
}

function compareAll<I, R>(inputs: I[], ours: (input: I) => R, theirs: R[]): Mismatch[] {
  expect(theirs).toHaveLength(inputs.length);
  const mismatches: Mismatch[] = [];
  inputs.forEach((input, i) => {
    let mine: unknown;
    try {
      mine = ours(input);
    } catch (error) {
      mine = { threw: String(error) };
    }
    if (JSON.stringify(mine) !== JSON.stringify(theirs[i])) {
      mismatches.push({ input, ours: mine, python: theirs[i] });
    }
  });
  return mismatches;
}

const sign = (n: number) => Math.sign(n) + 0;

// The general category of one code point as this JavaScript engine's Unicode tables say.
const CATEGORIES = [
  "Lu",
  "Ll",
  "Lt",
  "Lm",
  "Lo",
  "Mn",
  "Mc",
  "Me",
  "Nd",
  "Nl",
  "No",
  "Pc",
  "Pd",
  "Ps",
  "Pe",
  "Pi",
  "Pf",
  "Po",
  "Sm",
  "Sc",
  "Sk",
  "So",
  "Zs",
  "Zl",
  "Zp",
  "Cc",
  "Cf",
  "Cs",
  "Co",
  "Cn",
].map((name) => [name, new RegExp(`^\\p{${name}}$`, "u")] as const);
function jsCategory(char: string): string {
  return CATEGORIES.find(([, re]) => re.test(char))?.[0] ?? "?";
}

// --- alphabets -----------------------------------------------------------------------------------

const chars = (...list: string[]) => fc.constantFrom(...list);
// Around the surrogate range and U+FFFF, where UTF-16 order and code point order part ways.
const ORDER_CHARS = [
  "a",
  "b",
  "A",
  "0",
  "-",
  ".",
  " ",
  "_",
  "é",
  "\ud7ff",
  "\ue000",
  "\ufb01",
  "\ufffd",
  "\ufffe",
  "\uffff",
  "\u{10000}",
  "😀",
  "\u{10ffff}",
];
const orderText = fc.string({ unit: chars(...ORDER_CHARS), maxLength: 5 });
const LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"];

const suite = skipReason ? describe.skip : describe;

if (skipReason && process.env.CI === "true") {
  describe("Python oracle", () => {
    it("needs python3 in CI", () => {
      throw new Error(`the Python oracle cannot run: ${skipReason}`);
    });
  });
}

// --- pathlib -------------------------------------------------------------------------------------

suite(`Python oracle (${PYTHON} ${pythonVersion}, Unicode ${unicodeVersion})`, () => {
  it("pathSuffixes(name) = PurePosixPath(name).suffixes", () => {
    const names = sample(
      fc
        .string({
          unit: chars(".", ".", "a", "b", "nii", "gz", " ", "-", "_", "é", "😀", "\n", "\uffff"),
          minLength: 1,
          maxLength: 8,
        })
        .filter((n) => n !== "." && n !== ".."),
      2000,
    );
    const theirs = python<string[][]>(
      "from pathlib import PurePosixPath\nout = [PurePosixPath(n).suffixes for n in data]",
      names,
    );
    expectAgreement(compareAll(names, pathSuffixes, theirs), names.length);
  });

  it("comparePaths(a, b) has the sign of PurePosixPath ordering", () => {
    const component = fc
      .string({ unit: chars(...ORDER_CHARS.filter((c) => c !== " ")), minLength: 1, maxLength: 3 })
      .filter((c) => c !== "." && c !== "..");
    const parts = fc.array(component, { maxLength: 3 });
    const pairs = sample(
      fc.oneof(
        fc.tuple(parts, parts).map(([a, b]) => [a, b] as const),
        // A shared prefix, so the first differing component decides.
        fc.tuple(parts, parts, parts).map(
          ([p, a, b]) =>
            [
              [...p, ...a],
              [...p, ...b],
            ] as const,
        ),
      ),
      2000,
    ).map(([a, b]) => [`/${a.join("/")}`, `/${b.join("/")}`] as [string, string]);
    const theirs = python<number[]>(
      [
        "from pathlib import PurePosixPath as P",
        "out = [(P(b) < P(a)) - (P(a) < P(b)) for a, b in data]",
      ].join("\n"),
      pairs,
    );
    expectAgreement(
      compareAll(pairs, ([a, b]) => sign(comparePaths(a, b)), theirs),
      pairs.length,
    );
  });

  // --- str -----------------------------------------------------------------------------------------

  const stringOrder = "out = [(a > b) - (a < b) for a, b in data]";
  const orderPairs = (text: fc.Arbitrary<string>) =>
    fc.oneof(
      fc.tuple(text, text),
      fc.tuple(text, text, text).map(([p, a, b]) => [p + a, p + b] as [string, string]),
    );

  it("compareCodePoints(a, b) has the sign of Python's string comparison", () => {
    const pairs = sample(orderPairs(orderText), 3000);
    const theirs = python<number[]>(stringOrder, pairs);
    expectAgreement(
      compareAll(pairs, ([a, b]) => sign(compareCodePoints(a, b)), theirs),
      pairs.length,
    );
  });

  it("compareCodePoints(a, b) orders lone surrogates by code point, as Python does", () => {
    const text = fc.string({ unit: chars(...ORDER_CHARS, ...LONE_SURROGATES), maxLength: 4 });
    const pairs = sample(orderPairs(text), 2000);
    const theirs = python<number[]>(stringOrder, pairs);
    expectAgreement(
      compareAll(pairs, ([a, b]) => sign(compareCodePoints(a, b)), theirs),
      pairs.length,
    );
  });

  // BMP letters, digits, `_`, space and punctuation, Latin-1 and Greek (incl. final sigma).
  const TITLE_ASCII = [..."aAbBzZ019_ -.,'!?()/"];
  const codePointsIn = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
  const LATIN1 = codePointsIn(0xa0, 0xff);
  const GREEK = codePointsIn(0x370, 0x3ff);
  const GREEK_EXTENDED = codePointsIn(0x1f00, 0x1fff);

  /**
   * Characters whose Unicode data differ between Python's tables and this engine's (general
   * category, or single-character upper/lower mapping): a Unicode-version difference, not a
   * bug of ours. Node's ICU is usually several Unicode versions ahead of Python 3.11's 14.0.
   */
  function unicodeVersionSkew(list: string[]): string[] {
    const theirs = python<[string, string, string][]>(
      "import unicodedata\nout = [[unicodedata.category(c), c.upper(), c.lower()] for c in data]",
      list,
    );
    return list.filter((char, i) => {
      const [category, upper, lower] = theirs[i] ?? [];
      return (
        jsCategory(char) !== category ||
        char.toUpperCase() !== upper ||
        char.toLowerCase() !== lower
      );
    });
  }

  it("pythonTitle(s) = s.title() on random Latin-1/Greek text", () => {
    const alphabet = [...TITLE_ASCII, ...LATIN1, ...GREEK];
    expect(unicodeVersionSkew(alphabet)).toEqual([]);
    const texts = sample(fc.string({ unit: chars(...alphabet), maxLength: 8 }), 3000);
    const theirs = python<string[]>("out = [s.title() for s in data]", texts);
    expectAgreement(compareAll(texts, pythonTitle, theirs), texts.length);
  });

  it("pythonTitle = str.title for every Latin and Greek character, alone and in words", () => {
    const singles = [
      ...codePointsIn(0x20, 0x7e),
      ...codePointsIn(0xa0, 0x2af),
      ...GREEK,
      ...GREEK_EXTENDED,
    ];
    const skew = unicodeVersionSkew(singles);
    // Only a handful of characters may be set aside (e.g. U+019B, which gained an upper case
    // in Unicode 16); everything else must agree.
    expect(skew.length).toBeLessThan(5);
    const stable = singles.filter((c) => !skew.includes(c));
    // Alone (title case), after a cased letter (lower case), before one, and mid-word.
    const texts = stable.flatMap((c) => [c, `a${c}`, `${c}a`, `a${c}a`, `1${c}`]);
    const theirs = python<string[]>("out = [s.title() for s in data]", texts);
    expectAgreement(compareAll(texts, pythonTitle, theirs), texts.length);
  });

  // --- repr --------------------------------------------------------------------------------------

  const REPR_CHARS = [
    "a",
    "Z",
    " ",
    "'",
    '"',
    "\\",
    "\t",
    "\n",
    "\r",
    "\u0000",
    "\u0007",
    "\u001b",
    "\u007f",
    "\u0080",
    "\u009f",
    "\u00a0",
    "\u00ad",
    "é",
    "\u0301",
    "\u200b",
    "\u2028",
    "\u2029",
    "\u3000",
    "\ufeff",
    "\ue000",
    "\uffff",
    "\ud800",
    "\udfff",
    "😀",
    "\u{e0001}",
    "\u{f0000}",
    "\u{10ffff}",
    "中",
  ];
  const reprText = fc.string({ unit: chars(...REPR_CHARS), maxLength: 8 });

  it("pythonStringRepr(s) = repr(s)", () => {
    const texts = sample(fc.oneof(reprText, fc.string({ unit: "binary", maxLength: 8 })), 4000);
    const theirs = python<[string, [number, string][]][]>(
      [
        "import unicodedata",
        "out = [[repr(s), [[ord(c), unicodedata.category(c)] for c in s if ord(c) > 0x7f]] for s in data]",
      ].join("\n"),
      texts,
    );
    // A string holding a character whose category differs between Python's Unicode tables and
    // this engine's (e.g. one assigned after Python's Unicode version) cannot agree; those
    // are set aside and listed, everything else must agree exactly.
    const versionSkew = (i: number) =>
      (theirs[i]?.[1] ?? []).some(([cp, cat]) => jsCategory(String.fromCodePoint(cp)) !== cat);
    const kept = texts.flatMap((text, i) =>
      versionSkew(i) ? [] : [[text, theirs[i]?.[0]] as const],
    );
    const mismatches = compareAll(
      kept.map(([text]) => text),
      pythonStringRepr,
      kept.map(([, repr]) => repr),
    );
    expectAgreement(mismatches, kept.length);
    expect(kept.length).toBeGreaterThan(texts.length * 0.8);
  });

  const FLOAT_SPECIALS = [
    0.1,
    1e-5,
    1e-4,
    1e16,
    1e15,
    123456789012345680,
    -0,
    0,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    0.5,
    2.5,
    1 / 3,
    5,
    -1.5e-7,
  ];
  const anyDouble = fc.oneof(
    fc.double(),
    fc.constantFrom(...FLOAT_SPECIALS),
    fc.integer().map((n) => n / 16),
    fc.double({ min: 1e-6, max: 1e17, noNaN: true }),
    fc.integer({ min: -400, max: 400 }).map((e) => 10 ** e),
  );
  // Python reads the shortest round-trip text of the double, so it gets exactly the same value.
  const floatText = (x: number) => (Object.is(x, -0) ? "-0.0" : String(x));

  it("pythonFloatRepr(x) = repr(float(x))", () => {
    const values = sample(anyDouble, 4000);
    const theirs = python<string[]>("out = [repr(float(x)) for x in data]", values.map(floatText));
    expectAgreement(compareAll(values, pythonFloatRepr, theirs), values.length);
  });

  type Value =
    | string
    | number
    | bigint
    | boolean
    | null
    | Value[]
    | PyTuple<Value>
    | Map<string, Value>;
  type Encoded = { t: string; v?: unknown };

  /** The Python value `pythonRepr` stands for: integral numbers are ints, the rest floats. */
  function encode(value: Value): Encoded {
    if (typeof value === "string") return { t: "str", v: value };
    if (typeof value === "bigint") return { t: "int", v: value.toString() };
    if (typeof value === "number") {
      return Number.isInteger(value) && !Object.is(value, -0)
        ? { t: "int", v: BigInt(value).toString() }
        : { t: "float", v: floatText(value) };
    }
    if (typeof value === "boolean") return { t: "bool", v: value };
    if (value === null) return { t: "none" };
    if (Array.isArray(value)) return { t: "list", v: value.map(encode) };
    if (value instanceof PyTuple) return { t: "tuple", v: value.items.map(encode) };
    return { t: "dict", v: [...value].map(([k, v]) => [k, encode(v)]) };
  }

  it("pythonRepr of nested lists, tuples, dicts, ints, floats, bools and None = repr", () => {
    const { value } = fc.letrec<{ value: Value }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.integer(),
        fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
        anyDouble,
        fc.boolean(),
        fc.constant(null),
        reprText,
        fc.array(tie("value"), { maxLength: 4 }),
        fc.array(tie("value"), { maxLength: 4 }).map((items) => new PyTuple(items)),
        fc
          .array(fc.tuple(reprText, tie("value")), { maxLength: 3 })
          .map((entries) => new Map(entries)),
      ),
    }));
    const values = sample(value, 1500);
    const theirs = python<string[]>(
      [
        "def dec(o):",
        "    t = o['t']",
        "    if t == 'str': return o['v']",
        "    if t == 'int': return int(o['v'])",
        "    if t == 'float': return float(o['v'])",
        "    if t == 'bool': return o['v']",
        "    if t == 'none': return None",
        "    if t == 'list': return [dec(x) for x in o['v']]",
        "    if t == 'tuple': return tuple(dec(x) for x in o['v'])",
        "    if t == 'dict': return {k: dec(v) for k, v in o['v']}",
        "    raise ValueError(t)",
        "out = [repr(dec(v)) for v in data]",
      ].join("\n"),
      values.map(encode),
    );
    expectAgreement(compareAll(values, pythonRepr, theirs), values.length);
  });

  it("pythonReplace(text, old, new) = text.replace(old, new)", () => {
    const unit = chars("a", "b", "ab", "é", "😀", "\n", "-");
    const text = fc.string({ unit, maxLength: 6 });
    const triples = sample(
      fc.tuple(text, fc.oneof(fc.constant(""), fc.string({ unit, maxLength: 2 })), text),
      3000,
    );
    const theirs = python<string[]>("out = [t.replace(o, n) for t, o, n in data]", triples);
    expectAgreement(
      compareAll(triples, ([t, o, n]) => pythonReplace(t, o, n), theirs),
      triples.length,
    );
  });

  // --- fnmatch / glob ------------------------------------------------------------------------

  it("fnmatchRegExp(p).test(name) = fnmatch.fnmatchcase(name, p)", () => {
    const PATTERN_CHARS = [..."abcz-!^[]*?\\&~|. \n", "é", "😀", "[!", "[a-c]", "[z-a]", "]"];
    const NAME_CHARS = [..."abcz-!^[]\\&~|.\n", "é", "😀"];
    const pattern = fc.string({ unit: chars(...PATTERN_CHARS), maxLength: 8 });
    const name = fc.string({ unit: chars(...NAME_CHARS), maxLength: 4 });
    const cases = sample(
      fc.tuple(pattern, fc.array(name, { minLength: 20, maxLength: 20 })),
      600,
    ).map(([p, names]) => {
      // Names made from the pattern itself, so that matches are common.
      const fromPattern = [
        p,
        p.replace(/[*?]/g, ""),
        p.replace(/[[\]*?!]/g, ""),
        p.replace(/\*/g, "ab"),
      ];
      return [p, [...fromPattern, ...names]] as [string, string[]];
    });
    const theirs = python<unknown[]>(
      [
        "import fnmatch",
        "out = []",
        "for p, names in data:",
        "    try:",
        "        out.append([fnmatch.fnmatchcase(n, p) for n in names])",
        "    except Exception as e:",
        "        out.append({'error': type(e).__name__})",
      ].join("\n"),
      cases,
    );
    const ours = ([p, names]: [string, string[]]) => {
      try {
        const re = fnmatchRegExp(p);
        return names.map((n) => re.test(n));
      } catch (error) {
        if (error instanceof NamingError) return { error: error.code };
        throw error;
      }
    };
    expectAgreement(compareAll(cases, ours, theirs), cases.length);
    // Enough names match (and enough do not) for the comparison to mean something.
    const verdicts = theirs.flatMap((r) => (Array.isArray(r) ? r : []));
    expect(verdicts.filter((v) => v === true).length).toBeGreaterThan(verdicts.length * 0.05);
    expect(verdicts.filter((v) => v === false).length).toBeGreaterThan(verdicts.length * 0.5);
  });

  describe("globSync = glob.glob on random trees", () => {
    let base: string | undefined;
    afterAll(() => {
      if (base) rmSync(base, { recursive: true, force: true });
    });

    const NAMES = [
      "a",
      "b",
      "c",
      "ab",
      "ba",
      "abc",
      "z",
      "A",
      ".h",
      ".a",
      "-",
      "x.txt",
      "a.nii.gz",
      "[a]",
      "a*",
      "é",
      "𝒜",
    ];
    const tree = fc.record({
      entries: fc.array(
        fc.tuple(fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }), fc.boolean()),
        { minLength: 1, maxLength: 14 },
      ),
      links: fc.boolean(),
    });
    const SEGMENTS = [
      "*",
      "?",
      "[abc]",
      "[!a]",
      "[a-c]",
      "[z-a]",
      "**",
      ".*",
      "*b",
      "a*",
      "?b",
      "[.]*",
      "*.*",
      "[[]a]",
      "[a]",
      "é*",
      "a",
      "b",
      "ab",
      ".h",
      "x.txt",
      "lnk",
      "dangling",
      ".",
      "",
    ];
    // No leading `/` (an absolute pattern would walk the whole file system) and `..` only last.
    const pattern = fc
      .tuple(
        fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 3 }),
        fc.constantFrom("", "", "", "/", "/.."),
      )
      .filter(([segments]) => segments[0] !== "")
      .map(([segments, end]) => segments.join("/") + end);
    const cases = sample(
      fc.tuple(tree, fc.array(fc.tuple(pattern, fc.boolean()), { minLength: 40, maxLength: 40 })),
      30,
    );

    /** Build the trees once, on first use (nothing is written when the suite is skipped). */
    let built: { root: string; patterns: [string, boolean][] }[] | undefined;
    function trees() {
      if (built) return built;
      const dir = realpathSync(mkdtempSync(join(tmpdir(), "radifox-oracle-")));
      base = dir;
      built = cases.map(([spec, patterns], i) => {
        const root = join(dir, `t${i}`);
        mkdirSync(root);
        for (const [parts, isDir] of spec.entries) {
          const path = join(root, ...parts);
          try {
            mkdirSync(isDir ? path : dirname(path), { recursive: true });
            if (!isDir) writeFileSync(path, "", { flag: "wx" });
          } catch {
            // A file where a folder should be, or the reverse: keep the tree as it is.
          }
        }
        if (spec.links) {
          const target = spec.entries[0]?.[0][0] ?? "a";
          try {
            lstatSync(join(root, "lnk"));
          } catch {
            symlinkSync(target, join(root, "lnk"));
            symlinkSync("missing", join(root, "dangling"));
          }
        }
        return { root, patterns };
      });
      return built;
    }

    const sortPaths = (paths: string[]) => [...paths].sort(compareCodePoints);
    const runOurs = (root: string, pattern: string, recursive: boolean, absolute: boolean) => {
      const found = absolute
        ? globSync(`${root}/${pattern}`, { recursive })
        : inDirectory(root, () => globSync(pattern, { recursive }));
      return sortPaths(found.map((img) => relative(root, img.path) || "."));
    };

    for (const absolute of [false, true]) {
      it(
        absolute ? "with absolute patterns" : "with patterns relative to the current directory",
        () => {
          const input = trees();
          const theirs = python<string[][][]>(
            [
              "import glob, os",
              "out = []",
              "for case in data:",
              "    root = case['root']",
              "    os.chdir(root)",
              "    results = []",
              "    for pattern, recursive in case['patterns']:",
              absolute
                ? "        found = [os.path.relpath(os.path.normpath(p), root) for p in glob.glob(os.path.join(root, pattern), recursive=recursive)]"
                : "        found = [os.path.normpath(p) for p in glob.glob(pattern, recursive=recursive)]",
              "        results.append(found)",
              "    out.append(results)",
            ].join("\n"),
            input,
          );
          const inputs = input.flatMap(({ root, patterns }, i) =>
            patterns.map(([pattern, recursive], j) => ({
              tree: `t${i}`,
              root,
              pattern,
              recursive,
              python: sortPaths(theirs[i]?.[j] ?? []),
            })),
          );
          const mismatches = compareAll(
            inputs,
            ({ root, pattern, recursive }) => runOurs(root, pattern, recursive, absolute),
            inputs.map((c) => c.python),
          ).map(({ input, ours, python: expected }) => ({
            input: { ...(input as (typeof inputs)[number]), root: undefined, python: undefined },
            ours,
            python: expected,
          }));
          expectAgreement(mismatches, inputs.length);
          // The trees and patterns must produce matches, not only empty lists.
          expect(inputs.filter((c) => c.python.length > 0).length).toBeGreaterThan(
            inputs.length * 0.15,
          );
        },
      );
    }
  });
});

/** Run `fn` with `dir` as the current directory. */
function inDirectory<T>(dir: string, fn: () => T): T {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(previous);
  }
}
