// Property and fuzz tests of the name grammar, the filter grammar and ImageFile's lenient
// reading. Every property runs with a fixed seed and a bounded number of runs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  anyOf,
  contains,
  FILTER_KEYS,
  FilterCondition,
  type FilterKey,
  FilterSyntaxError,
  type FilterValue,
  formatName,
  ImageFile,
  ImageFilter,
  lacks,
  NameError,
  type NameInput,
  not,
  parseName,
  TYPE_COMPONENTS,
} from "../src/index.js";

const SEED = 20240611;
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

// --- helpers ---------------------------------------------------------------------------------

/** A NameError whose index/length lie inside the text it is about. */
function expectNameError(error: unknown, code: "E_NAME_SYNTAX" | "E_NAME_MISSING", text?: string) {
  if (!(error instanceof NameError)) throw error;
  expect(error.code).toBe(code);
  if (text !== undefined) expect(error.fileName).toBe(text);
  const { index, length, fileName } = error;
  expect(Number.isInteger(index) && Number.isInteger(length)).toBe(true);
  expect(index).toBeGreaterThanOrEqual(0);
  expect(length).toBeGreaterThanOrEqual(0);
  expect(index + length).toBeLessThanOrEqual(fileName.length);
}

function expectFilterError(error: unknown) {
  if (!(error instanceof FilterSyntaxError)) throw error;
  expect(["E_FILTER_PAIR", "E_FILTER_KEY", "E_FILTER_VALUE"]).toContain(error.code);
}

interface Edit {
  kind: "insert" | "delete" | "replace";
  at: number;
  char: string;
}

/** Apply edits at UTF-16 offsets (so surrogate pairs may be split on purpose). */
function applyEdits(base: string, edits: readonly Edit[]): string {
  let text = base;
  for (const { kind, at, char } of edits) {
    const i = at % (text.length + 1);
    if (kind === "insert") text = text.slice(0, i) + char + text.slice(i);
    else if (kind === "delete") text = text.slice(0, i) + text.slice(i + 1);
    else text = text.slice(0, i) + char + text.slice(i + 1);
  }
  return text;
}

const editsOf = (chars: fc.Arbitrary<string>) =>
  fc.array(
    fc.record({
      kind: fc.constantFrom<Edit["kind"]>("insert", "delete", "replace"),
      at: fc.nat({ max: 200 }),
      char: chars,
    }),
    { minLength: 1, maxLength: 4 },
  );

/** Entries of a filter in a form that shows conditions, for failure messages. */
function describeFilter(filter: ImageFilter): string {
  return JSON.stringify(
    [...filter.entries()].map(([key, value]) => [
      key,
      value instanceof FilterCondition ? { op: value.op, values: value.values } : value,
    ]),
  );
}

// --- name alphabets ----------------------------------------------------------------------------

// Letters and digits of every kind `\p{L}\p{N}` admits: Latin, Latin-1, Greek, CJK, an astral
// letter, Arabic-Indic digit, superscript two (No), roman numeral (Nl).
const wordChar = fc.constantFrom(
  "A",
  "B",
  "R",
  "T",
  "x",
  "0",
  "1",
  "9",
  "é",
  "ß",
  "Ω",
  "中",
  "𝒜",
  "٣",
  "²",
  "Ⅻ",
);
// Separators, whitespace, control characters, combining marks and lone surrogates.
const oddChar = fc.constantFrom(
  "_",
  "-",
  ".",
  "/",
  " ",
  "\t",
  "\n",
  "\u0000",
  "\u0007",
  "\u007f",
  "\u00a0",
  "\u2028",
  "\u0301",
  "\ud800",
  "\udc00",
  "😀",
  "\uffff",
  "a",
  "Z",
  "5",
);
const anyNameChar = fc.oneof(wordChar, oddChar);

const word = fc.string({ unit: wordChar, minLength: 1, maxLength: 6 });
const dashedWord = fc.string({
  unit: fc.oneof({ weight: 4, arbitrary: wordChar }, { weight: 1, arbitrary: fc.constant("-") }),
  minLength: 1,
  maxLength: 8,
});
const digitString = fc.string({
  unit: fc.constantFrom(..."0123456789"),
  minLength: 1,
  maxLength: 3,
});
const asciiLetter = fc.constantFrom(..."abcgjnpszAGNZ");
const extSegment = fc
  .tuple(asciiLetter, fc.string({ unit: fc.constantFrom(..."aiz09NG"), maxLength: 3 }))
  .map(([first, rest]) => first + rest);
const validExt = fc.oneof(
  fc.constantFrom("", ".nii.gz", ".json", ".nii", ".png", ".prov"),
  fc.array(extSegment, { minLength: 1, maxLength: 3 }).map((s) => `.${s.join(".")}`),
);

const validParts: fc.Arbitrary<NameInput> = fc.record({
  subjectId: dashedWord,
  sessionId: dashedWord,
  studyNumber: fc.oneof(fc.nat({ max: 150 }), digitString),
  seriesNumber: fc.oneof(fc.nat({ max: 150 }), digitString),
  bodypart: word,
  modality: word,
  technique: word,
  acqdim: word,
  orientation: word,
  excontrast: word,
  extras: fc.array(word, { maxLength: 3 }),
  tags: fc.array(dashedWord, { maxLength: 3 }),
  ext: validExt,
});

const anyText = fc.string({ unit: anyNameChar, maxLength: 6 });
const anyCounter = fc.oneof(
  fc.integer({ min: -5, max: 300 }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5, 2 ** 53, -0),
  digitString,
  anyText,
);
const maybeValid = (valid: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: anyText });
const roughParts: fc.Arbitrary<NameInput> = fc.record({
  subjectId: maybeValid(dashedWord),
  sessionId: maybeValid(dashedWord),
  studyNumber: anyCounter,
  seriesNumber: anyCounter,
  bodypart: maybeValid(word),
  modality: maybeValid(word),
  technique: maybeValid(word),
  acqdim: maybeValid(word),
  orientation: maybeValid(word),
  excontrast: maybeValid(word),
  extras: fc.array(maybeValid(word), { maxLength: 3 }),
  tags: fc.array(maybeValid(dashedWord), { maxLength: 3 }),
  ext: fc.oneof(
    validExt,
    anyText,
    anyText.map((t) => `.${t}`),
  ),
});

const pad = (value: string | number) =>
  typeof value === "number" ? String(value).padStart(2, "0") : value;

/** What `parseName(formatName(parts))` must give back. */
function expectedParts(parts: NameInput) {
  return {
    subjectId: parts.subjectId,
    sessionId: parts.sessionId,
    studyNumber: pad(parts.studyNumber),
    seriesNumber: pad(parts.seriesNumber),
    bodypart: parts.bodypart,
    modality: parts.modality,
    technique: parts.technique,
    acqdim: parts.acqdim,
    orientation: parts.orientation,
    excontrast: parts.excontrast,
    extras: [...(parts.extras ?? [])],
    tags: [...(parts.tags ?? [])],
    ext: parts.ext ?? "",
  };
}

function expectRoundTrip(parts: NameInput, name: string) {
  const parsed = parseName(name);
  const expected = expectedParts(parts);
  expect(parsed).toMatchObject(expected);
  expect(parsed.name).toBe(name);
  expect(parsed.imageId).toBe(`${expected.studyNumber}-${expected.seriesNumber}`);
  expect(parsed.imageType).toBe(
    [...TYPE_COMPONENTS.map((key) => expected[key]), ...expected.extras].join("-"),
  );
  expect(parsed.stem + parsed.ext).toBe(name);
}

// --- parseName / formatName ----------------------------------------------------------------------

describe("parseName fuzz", () => {
  const check = (name: string) => {
    try {
      const parsed = parseName(name);
      expect(parsed.name).toBe(name);
      // Whatever parses must be rebuilt into the same name.
      expect(formatName(parsed)).toBe(name);
    } catch (error) {
      expectNameError(error, "E_NAME_SYNTAX", name);
    }
  };

  it("throws only NameError, located inside the name, on random strings", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 40 }),
          fc.string({ unit: anyNameChar, maxLength: 40 }),
        ),
        (name) => check(name),
      ),
      runs(1500),
    );
  });

  it("throws only NameError, located inside the name, on mutated valid names", () => {
    const mutated = fc
      .tuple(validParts, editsOf(anyNameChar))
      .map(([parts, edits]) => applyEdits(formatName(parts), edits));
    fc.assert(
      fc.property(mutated, (name) => check(name)),
      runs(1500),
    );
  });
});

describe("formatName fuzz", () => {
  it("round-trips random valid parts through parseName", () => {
    fc.assert(
      fc.property(validParts, (parts) => expectRoundTrip(parts, formatName(parts))),
      runs(1000),
    );
  });

  it("throws only NameError on random (mostly invalid) parts, and round-trips what it accepts", () => {
    fc.assert(
      fc.property(roughParts, (parts) => {
        let name: string;
        try {
          name = formatName(parts);
        } catch (error) {
          expectNameError(error, "E_NAME_SYNTAX");
          return;
        }
        expectRoundTrip(parts, name);
      }),
      runs(1500),
    );
  });
});

// --- filter strings ------------------------------------------------------------------------------

const KEY_WORDS = [...FILTER_KEYS, "body_part"];
const filterToken = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KEY_WORDS) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(";", ",", "=", "!=", "~", "!~", "|", "[", "]", "(", ")", '"', " "),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "a",
      "B",
      "t1",
      "T2",
      "ECHO1",
      "NONE",
      "none",
      "[]",
      "()",
      "é",
      "ß",
      "😀",
      "\\",
      "\u0000",
      "\n",
      "\u00a0",
      "\ud800",
    ),
  },
);
const filterSoup = fc.string({ unit: filterToken, maxLength: 14 });

const space = fc.constantFrom("", "", "", " ", "  ");
const filterItem = fc.constantFrom(
  "T1",
  "t2",
  "ECHO1",
  "mag",
  "NONE",
  "",
  "a b",
  "é",
  "😀",
  '"q;x"',
  '"a,b|c"',
  '"lower"',
);
const filterValueText = fc.oneof(
  filterItem,
  fc.array(filterItem, { maxLength: 3 }).map((xs) => `[${xs.join(",")}]`),
  fc.array(filterItem, { maxLength: 3 }).map((xs) => `(${xs.join(", ")})`),
  fc.array(filterItem, { minLength: 2, maxLength: 3 }).map((xs) => xs.join("|")),
);
const filterPair = fc
  .tuple(
    space,
    fc.constantFrom(...KEY_WORDS),
    space,
    fc.constantFrom("=", "=", "!=", "~", "!~"),
    space,
    filterValueText,
    space,
  )
  .map((parts) => parts.join(""));
const filterText = fc
  .array(fc.tuple(filterPair, fc.constantFrom(";", ";", ",", " ; ")), {
    minLength: 1,
    maxLength: 4,
  })
  .map((pairs) =>
    pairs.map(([pair, sep], i) => (i === pairs.length - 1 ? pair : pair + sep)).join(""),
  );
const filterEditChar = fc.constantFrom(
  ";",
  ",",
  "=",
  "!",
  "~",
  "|",
  "[",
  "]",
  "(",
  ")",
  '"',
  " ",
  "\\",
  "a",
  "Z",
  "é",
  "😀",
  "\ud800",
  "\u0000",
);
const mutatedFilterText = fc
  .tuple(filterText, editsOf(filterEditChar))
  .map(([text, edits]) => applyEdits(text, edits));
const anyFilterText = fc.oneof(filterSoup, filterText, mutatedFilterText);

describe("ImageFilter.fromString fuzz", () => {
  for (const dialect of ["extended", "radifox"] as const) {
    it(`throws only FilterSyntaxError (${dialect} dialect)`, () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.string({ unit: "binary", maxLength: 30 }), anyFilterText),
          (text) => {
            try {
              const filter = ImageFilter.fromString(text, { dialect });
              expect(filter.size).toBeGreaterThan(0);
            } catch (error) {
              expectFilterError(error);
            }
          },
        ),
        runs(1500),
      );
    });
  }
});

// Filters built with the constructor. Values the parser upper-cases are generated upper-case
// (an alphabet in which every character is its own upper case); tags may be of any case.
const upperChar = fc.constantFrom(
  ...'AZ019 ;,|[]()"=!~\\',
  "É",
  "Σ",
  "中",
  "𝒜",
  "😀",
  "\t",
  "\n",
  "\u0000",
  "\u00a0",
);
const anyCaseChar = fc.oneof(upperChar, fc.constantFrom("a", "z", "é", "ß", "σ", "ǆ"));
const upperText = fc.string({ unit: upperChar, maxLength: 5 });
const anyCaseText = fc.string({ unit: anyCaseChar, maxLength: 5 });
const SCALAR_KEYS = FILTER_KEYS.filter((k) => k !== "extras" && k !== "tags");

/** A value for `key` that `fromString(toString())` should give back unchanged. */
function canonicalValue(key: FilterKey, singleAnyOf: boolean): fc.Arbitrary<FilterValue> {
  const text = key === "tags" ? anyCaseText : upperText;
  const anyOfArity = singleAnyOf ? { minLength: 1, maxLength: 1 } : { minLength: 2, maxLength: 3 };
  const some = { minLength: 1, maxLength: 3 };
  if (key === "extras" || key === "tags") {
    const list = fc.array(text, { maxLength: 3 });
    return fc.oneof(
      list,
      fc.array(list, anyOfArity).map((vs) => anyOf(...vs)),
      fc.array(list, some).map((vs) => not(...vs)),
      fc.array(text, some).map((vs) => contains(...vs)),
      fc.array(text, some).map((vs) => lacks(...vs)),
    );
  }
  return fc.oneof(
    text,
    fc.array(text, anyOfArity).map((vs) => anyOf(...vs)),
    fc.array(text, some).map((vs) => not(...vs)),
    fc.array(text, some).map((vs) => contains(...vs)),
    fc.array(text, some).map((vs) => lacks(...vs)),
  );
}

function builtFilter(singleAnyOf: boolean): fc.Arbitrary<ImageFilter> {
  return fc
    .shuffledSubarray([...FILTER_KEYS], { minLength: 1 })
    .chain((keys) =>
      fc.tuple(
        ...keys.map((key) => canonicalValue(key, singleAnyOf).map((v) => [key, v] as const)),
      ),
    )
    .map((entries) => new ImageFilter(entries));
}

function expectRoundTripFilter(filter: ImageFilter) {
  const text = filter.toString();
  const back = ImageFilter.fromString(text);
  expect({ text, entries: describeFilter(back), equal: back.equals(filter) }).toEqual({
    text,
    entries: describeFilter(filter),
    equal: true,
  });
}

describe("ImageFilter toString/fromString round trip", () => {
  it("round-trips constructor-built filters (plain values, lists, anyOf with 2+ values, not, contains, lacks)", () => {
    fc.assert(fc.property(builtFilter(false), expectRoundTripFilter), runs(1500));
  });

  // Kept apart from the property above so that a failure here does not hide others.
  it("round-trips a single-value anyOf condition", () => {
    fc.assert(fc.property(builtFilter(true), expectRoundTripFilter), runs(300));
  });

  it("round-trips every filter the extended dialect parses", () => {
    let parsed = 0;
    fc.assert(
      fc.property(anyFilterText, (text) => {
        let filter: ImageFilter;
        try {
          filter = ImageFilter.fromString(text);
        } catch (error) {
          expectFilterError(error);
          return;
        }
        parsed++;
        expectRoundTripFilter(filter);
      }),
      runs(2000),
    );
    // The generator must reach the parser's success path often enough to mean something.
    expect(parsed).toBeGreaterThan(200);
  });

  // The constructor's types admit a string or a list for every key (the original compares a
  // list with a string item by item); writing such a filter down must not crash.
  it("toString() never throws for string or list values on any key, and fromString reads it", () => {
    const anyPlain = fc.oneof(anyCaseText, fc.array(anyCaseText, { maxLength: 3 }));
    const filters = fc
      .shuffledSubarray([...FILTER_KEYS], { minLength: 1 })
      .chain((keys) => fc.tuple(...keys.map((key) => anyPlain.map((v) => [key, v] as const))));
    fc.assert(
      fc.property(filters, (entries) => {
        const filter = new ImageFilter(entries);
        const text = filter.toString();
        expect(ImageFilter.fromString(text).size).toBe(filter.size);
      }),
      runs(500),
    );
  });

  it("scalar values of any case survive the round trip by quoting", () => {
    const mixedCase = fc
      .tuple(fc.constantFrom(...SCALAR_KEYS), anyCaseText)
      .map(([key, value]) => new ImageFilter([[key, value]]));
    fc.assert(fc.property(mixedCase, expectRoundTripFilter), runs(500));
  });
});

// --- dialects --------------------------------------------------------------------------------------

// Strings the original accepts: `key=value` pairs separated by `;`, values without `=`. The
// value alphabet holds the grammar characters of the extended dialect except the documented
// divergences (whitespace, `|`, `"`).
const radifoxValue = fc.string({
  unit: fc.constantFrom(
    "A",
    "b",
    "T1",
    "ß",
    "é",
    "😀",
    ",",
    "[",
    "]",
    "(",
    ")",
    "~",
    "!",
    "!~",
    "NONE",
    "none",
    "tags",
    "extras",
    "modality",
    "body_part",
    "\u0000",
    "\\",
  ),
  maxLength: 6,
});
const radifoxText = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 9, arbitrary: fc.constantFrom(...FILTER_KEYS) },
        { weight: 1, arbitrary: fc.constantFrom("body_part", "Tags", "") },
      ),
      radifoxValue,
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((pairs) => pairs.map(([key, value]) => `${key}=${value}`).join(";"));

const DOCUMENTED_DIVERGENCE = /[\s|"]/u;

function expectSameInBothDialects(text: string) {
  let radifox: ImageFilter;
  try {
    radifox = ImageFilter.fromString(text, { dialect: "radifox" });
  } catch (error) {
    expectFilterError(error);
    return false;
  }
  const extended = ImageFilter.fromString(text);
  expect({ text, entries: describeFilter(extended) }).toEqual({
    text,
    entries: describeFilter(radifox),
  });
  expect(extended.equals(radifox)).toBe(true);
  return true;
}

describe("extended dialect agrees with the radifox dialect", () => {
  it("on every string the radifox dialect accepts (no whitespace, '|' or '\"')", () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(radifoxText, anyFilterText).filter((t) => !DOCUMENTED_DIVERGENCE.test(t)),
        (text) => {
          if (expectSameInBothDialects(text)) accepted++;
        },
      ),
      runs(3000),
    );
    expect(accepted).toBeGreaterThan(500);
  });

  // Minimal cases of the property above, one per distinct divergence, so each shows up.
  it.each([
    ["extras=)"],
    ["extras=[)"],
    ["tags=(]"],
    ["bodypart=A,tags~X"],
    ["extras=ECHO1,modality!~T1"],
    ["bodypart=BRAIN;extras=[ECHO1,MAG];tags=n4"],
    ["extras=;extras=A"],
    ["extras=NONE;tags=()"],
  ])("%s reads the same in both dialects", (text) => {
    expect(expectSameInBothDialects(text)).toBe(true);
  });
});

// --- ImageFile ---------------------------------------------------------------------------------------

const pathText = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: anyNameChar },
    { weight: 1, arbitrary: fc.constantFrom("/", "..", "./", "nii/", "proc/", ".nii.gz") },
  ),
  maxLength: 40,
});
const namey = fc
  .tuple(validParts, editsOf(anyNameChar))
  .map(([parts, edits]) => `/study/sub/1/nii/${applyEdits(formatName(parts), edits)}`);

type Getter = (img: ImageFile) => unknown;
const GETTERS: Record<string, Getter> = {
  subjectId: (img) => img.subjectId,
  sessionId: (img) => img.sessionId,
  imageId: (img) => img.imageId,
  studyNumber: (img) => img.studyNumber,
  seriesNumber: (img) => img.seriesNumber,
  seriesId: (img) => img.seriesId,
  imageType: (img) => img.imageType,
  bodypart: (img) => img.bodypart,
  modality: (img) => img.modality,
  technique: (img) => img.technique,
  acqdim: (img) => img.acqdim,
  orientation: (img) => img.orientation,
  excontrast: (img) => img.excontrast,
  extras: (img) => img.extras,
  tags: (img) => img.tags,
};

const MISSING = Symbol("missing");

/** The original's lenient reading (spec 1.2): `split(".")[0].split("_")`, then `-`. */
function modelFields(name: string): Record<string, unknown> {
  const fields = name.split(".")[0]?.split("_") ?? [""];
  const type = fields[3]?.split("-");
  const imageId = fields[2];
  const at = <T>(list: T[] | undefined, i: number) => list?.[i] ?? MISSING;
  return {
    subjectId: at(fields, 0),
    sessionId: at(fields, 1),
    imageId: imageId ?? MISSING,
    studyNumber: imageId === undefined ? MISSING : imageId.split("-")[0],
    seriesNumber: imageId === undefined ? MISSING : at(imageId.split("-"), 1),
    seriesId: imageId === undefined ? MISSING : imageId.split("-")[0],
    imageType: at(fields, 3),
    ...Object.fromEntries(TYPE_COMPONENTS.map((key, i) => [key, at(type, i)])),
    extras: type ? type.slice(6) : MISSING,
    tags: fields.slice(4),
  };
}

describe("ImageFile fuzz", () => {
  it("name getters follow the original's lenient reading and throw only E_NAME_MISSING", () => {
    fc.assert(
      fc.property(fc.oneof(pathText, namey), (path) => {
        const img = new ImageFile(path);
        expect(img.path.startsWith("/")).toBe(true);
        const model = modelFields(img.name);
        expect(img.stem).toBe(img.name.split(".")[0]);
        expect(img.ext).toBe(img.suffixes.join(""));
        for (const [key, read] of Object.entries(GETTERS)) {
          let value: unknown;
          try {
            value = read(img);
          } catch (error) {
            expectNameError(error, "E_NAME_MISSING", img.name);
            value = MISSING;
          }
          expect({ key, value }).toEqual({ key, value: model[key] });
        }
      }),
      runs(1500),
    );
  });

  const tagText = fc.string({ unit: anyNameChar, maxLength: 4 });
  const extText = fc.oneof(
    anyText,
    validExt,
    anyText.map((t) => `.${t}`),
  );

  it("withTags throws only NameError and appends the tags in the same folder", () => {
    fc.assert(
      fc.property(fc.oneof(pathText, namey), fc.array(tagText, { maxLength: 3 }), (path, tags) => {
        const img = new ImageFile(path);
        try {
          const tagged = img.withTags(...tags);
          expect({ parent: tagged.parent, name: tagged.name }).toEqual({
            parent: img.parent,
            name: [img.stem, ...tags].join("_") + img.name.slice(img.stem.length),
          });
          // With the four leading fields present, the new tags are read back as the last tags.
          if (img.stem.split("_").length >= 4) {
            expect(tagged.tags).toEqual([...img.tags, ...tags]);
          }
        } catch (error) {
          expectNameError(error, "E_NAME_SYNTAX");
        }
      }),
      runs(1500),
    );
  });

  it("withExt throws only NameError and keeps the stem in the same folder", () => {
    fc.assert(
      fc.property(fc.oneof(pathText, namey), extText, (path, ext) => {
        const img = new ImageFile(path);
        try {
          const moved = img.withExt(ext);
          expect({ parent: moved.parent, name: moved.name }).toEqual({
            parent: img.parent,
            name: img.stem + ext,
          });
        } catch (error) {
          expectNameError(error, "E_NAME_SYNTAX");
        }
      }),
      runs(1500),
    );
  });
});
