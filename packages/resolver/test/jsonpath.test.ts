// Jayway JsonPath behaviour the conformance vectors leave out (spec 4.1 and Jayway 2.10's
// evaluators): errors, coercions, regex translation, nested filters, `$` in filters, caching.
import { describe, expect, it } from "vitest";
import {
  JsonPathError,
  type JsonPathErrorKind,
  readJsonPath,
  readJsonPathAsString,
  readJsonPathList,
} from "../src/index.js";
import { javaRegExp } from "../src/jsonpath/index.js";

const session = {
  type: "Session",
  id: "E1",
  label: "sess1",
  scans: [
    {
      id: "1",
      "scan-type": "T1",
      frames: 176,
      resources: [{ label: "DICOM" }, { label: "NIFTI" }],
    },
    { id: "2", "scan-type": "MPRAGE", frames: 12, resources: [{ label: "DICOM" }] },
    { id: "3", "scan-type": "rest", frames: "200", resources: [{ label: "secondary" }] },
    { id: "10", resources: [] },
  ],
};

/** Ids of the scans a filter keeps. */
function scans(filter: string, document: unknown = session): unknown[] {
  const found = readJsonPath(document, `$.scans[?(${filter})]`) as { id: string }[];
  return found.map((scan) => scan.id);
}

function failure(read: () => unknown): { kind: JsonPathErrorKind; javaName: string } {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(JsonPathError);
    const { kind, javaName } = error as JsonPathError;
    return { kind, javaName };
  }
  throw new Error("expected a JsonPathError");
}

describe("paths", () => {
  it("rejects a filter on a primitive after definite tokens, skips it after indefinite ones", () => {
    expect(failure(() => readJsonPath(session, "$.label[?(@ == 'sess1')]"))).toEqual({
      kind: "InvalidPath",
      javaName: "InvalidPathException",
    });
    expect(readJsonPath(session, "$.scans[*].id[?(@ == '1')]")).toEqual([]);
  });

  it("filters the root object itself", () => {
    expect(readJsonPath(session, "$[?(@.label == 'sess1')]")).toEqual([session]);
    expect(readJsonPath(session, "$[?(@.label == 'x')]")).toEqual([]);
  });

  it("reads definite paths as values and reports missing keys", () => {
    expect(readJsonPath(session, "$.scans[-1].id")).toBe("10");
    expect(readJsonPath(session, "label")).toBe("sess1");
    expect(failure(() => readJsonPath(session, "$.scans[9]")).kind).toBe("PathNotFound");
    expect(failure(() => readJsonPath(session, "$.nope.deeper")).kind).toBe("PathNotFound");
    // `length` is not a property of arrays or strings in Jayway.
    expect(failure(() => readJsonPath(session, "$.scans.length")).kind).toBe("PathNotFound");
    expect(readJsonPath(session, "$.scans[*].frames")).toEqual([176, 12, "200"]);
  });

  it("supports slices, index lists and merged keys as Jayway does", () => {
    const ids = (path: string) => readJsonPath(session, path);
    expect(ids("$.scans[1:3].id")).toEqual(["2", "3"]);
    expect(ids("$.scans[:2].id")).toEqual(["1", "2"]);
    expect(ids("$.scans[-2:].id")).toEqual(["3", "10"]);
    expect(ids("$.scans[0,2].id")).toEqual(["1", "3"]);
    expect(ids("$['id','label','missing']")).toEqual({ id: "E1", label: "sess1" });
    expect(ids("$.scans[0]['id','frames']")).toEqual({ id: "1", frames: 176 });
  });

  it("deep-scans in document order", () => {
    expect(readJsonPath(session, "$..label")).toEqual([
      "sess1",
      "DICOM",
      "NIFTI",
      "DICOM",
      "secondary",
    ]);
    expect(readJsonPath(session, "$..[?(@.label == 'DICOM')].label")).toEqual(["DICOM", "DICOM"]);
  });

  it("evaluates path functions, but not with ALWAYS_RETURN_LIST", () => {
    expect(readJsonPath(session, "$.scans.length()")).toBe(4);
    expect(readJsonPath(session, "$.scans[*].resources.length()")).toEqual([2, 1, 1, 0]);
    expect(failure(() => readJsonPathList(session, "$.scans.length()")).kind).toBe("JsonPath");
    expect(failure(() => readJsonPath(session, "$.scans.nosuch()")).kind).toBe("InvalidPath");
  });

  it("returns lists with ALWAYS_RETURN_LIST", () => {
    expect(readJsonPathList(session, "$.scans[0].id")).toEqual(["1"]);
    expect(readJsonPathList(session, "$.scans[?(@.id == '2')].scan-type")).toEqual(["MPRAGE"]);
  });
});

describe("read as String", () => {
  it("stringifies as Java and refuses containers", () => {
    const doc = { int: 176, double: 1.5, big: 1e21, small: 1e-5, flag: true, none: null };
    expect(readJsonPathAsString(doc, "$.int")).toBe("176");
    expect(readJsonPathAsString(doc, "$.double")).toBe("1.5");
    expect(readJsonPathAsString(doc, "$.big")).toBe("1.0E21");
    expect(readJsonPathAsString(doc, "$.small")).toBe("1.0E-5");
    expect(readJsonPathAsString(doc, "$.flag")).toBe("true");
    expect(readJsonPathAsString(doc, "$.none")).toBeNull();
    expect(failure(() => readJsonPathAsString(session, "$.scans[0]")).kind).toBe("Mapping");
    expect(failure(() => readJsonPathAsString(session, "$.scans[*].id")).javaName).toBe(
      "MappingException",
    );
  });
});

describe("filter coercions", () => {
  it("coerces numbers and strings in == and in, asymmetrically as Java", () => {
    expect(scans("@.id == 1")).toEqual(["1"]);
    expect(scans("@.frames == '176'")).toEqual(["1"]);
    expect(scans("@.id in [1, 10]")).toEqual(["1", "10"]);
    expect(scans("@.frames in ['176', 200]")).toEqual(["1", "3"]);
    // The string "1" is compared with the number's text, so "1.0" does not equal it…
    expect(scans("@.id == 1.0")).toEqual([]);
    // …while a number compares with a string's value.
    expect(scans("@.frames == '176.0'")).toEqual(["1"]);
    expect(scans("@.id === 1")).toEqual([]);
    expect(scans("@.id === '1'")).toEqual(["1"]);
  });

  it("treats missing values as unequal to everything", () => {
    expect(scans("@.scan-type != 'T1'")).toEqual(["2", "3", "10"]);
    expect(scans("@.scan-type == null")).toEqual([]);
    expect(scans("@.scan-type nin ['T1']")).toEqual(["2", "3", "10"]);
  });

  it("never equates a collection with a scalar", () => {
    expect(scans("@.resources[*].label == 'DICOM'")).toEqual([]);
    expect(scans("@.resources[*].label contains 'DICOM'")).toEqual(["1", "2"]);
    expect(scans("@.resources[*].label == ['DICOM']")).toEqual(["2"]);
    // A literal on the left is still text in Jayway and equals nothing.
    expect(scans("['DICOM'] == @.resources[*].label")).toEqual([]);
  });

  it("orders numbers with numbers and strings with strings only", () => {
    expect(scans("@.frames > 100")).toEqual(["1"]);
    expect(scans("@.frames > '100'")).toEqual(["3"]);
    expect(scans("@.frames <= 12")).toEqual(["2"]);
    expect(scans("@.scan-type < 'N'")).toEqual(["2"]);
  });

  it("implements the collection operators", () => {
    expect(scans("['DICOM','NIFTI'] subsetof @.resources[*].label")).toEqual(["1"]);
    expect(scans("@.resources[*].label anyof ['NIFTI', 'secondary']")).toEqual(["1", "3"]);
    expect(scans("@.resources[*].label noneof ['DICOM']")).toEqual(["3", "10"]);
    expect(scans("@.resources size 1")).toEqual(["2", "3"]);
    expect(scans("@.scan-type size 4")).toEqual(["3"]);
    expect(scans("@.resources empty true")).toEqual(["10"]);
    expect(scans("@.scan-type contains 'RAGE'")).toEqual(["2"]);
    // `all` needs a list the Java Criteria API builds; from filter text it never holds.
    expect(scans("@.resources[*].label all ['DICOM']")).toEqual([]);
    // `in` against something that is not a list rejects the element, so `nin` does too.
    expect(scans("@.id nin @.missing")).toEqual([]);
  });

  it("fails the read when a list holds objects (Jayway's JsonPathException)", () => {
    expect(failure(() => scans("'DICOM' in @.resources")).kind).toBe("JsonPath");
  });

  it("binds && tighter than ||, honours parentheses and !", () => {
    expect(scans("@.id == '1' && @.scan-type == 'T1' || @.id == '2'")).toEqual(["1", "2"]);
    expect(scans("(@.id == '1' || @.id == '2') && @.scan-type == 'T1'")).toEqual(["1"]);
    expect(scans("!(@.id == '1' || @.id == '2')")).toEqual(["3", "10"]);
    expect(scans("!@.scan-type")).toEqual(["10"]);
  });

  it("rejects single =, unbalanced quotes and unresolved templates outside arrays", () => {
    expect(failure(() => scans("@.id = '1'")).kind).toBe("InvalidPath");
    expect(failure(() => scans("@.label == 'O'Brien'")).kind).toBe("InvalidPath");
    expect(failure(() => scans("@.scan-type == #T1-scantype#")).kind).toBe("InvalidPath");
    expect(failure(() => scans("@.scan-type == ^wrapper:$.x^")).kind).toBe("InvalidPath");
    // Inside a JSON array Jayway keeps them as opaque text: no match, no error.
    expect(scans("@.scan-type in [#T1-scantype#]")).toEqual([]);
  });
});

describe("regular expressions", () => {
  it("matches the whole string and honours Java flags", () => {
    expect(scans("@.scan-type =~ /RAGE/")).toEqual([]);
    expect(scans("@.scan-type =~ /.*RAGE/")).toEqual(["2"]);
    expect(scans("@.scan-type =~ /t1/")).toEqual([]);
    expect(scans("@.scan-type =~ /t1/i")).toEqual(["1"]);
    expect(scans("@.scan-type =~ /t 1 # the T1 scans/xi")).toEqual(["1"]);
    expect(scans("@.id =~ /1|10/")).toEqual(["1", "10"]);
    // A missing property is matched as "".
    expect(scans("@.scan-type =~ /(T1)?/")).toEqual(["1", "10"]);
    // Numbers are matched through their text.
    expect(scans("@.frames =~ /1\\d+/")).toEqual(["1", "2"]);
  });

  it("folds only ASCII case without the u flag, as java.util.regex does", () => {
    const doc = {
      scans: [
        { id: "a", name: "ÉCHO" },
        { id: "b", name: "echo" },
      ],
    };
    expect(scans("@.name =~ /écho/i", doc)).toEqual([]);
    expect(scans("@.name =~ /écho/iu", doc)).toEqual(["a"]);
    expect(scans("@.name =~ /[a-e]cho/i", doc)).toEqual(["b"]);
  });

  it("translates Java-only syntax and refuses what JavaScript cannot express", () => {
    expect(javaRegExp("\\Qa.b\\E", "").test("a.b")).toBe(true);
    expect(javaRegExp("\\Qa.b\\E", "").test("axb")).toBe(false);
    expect(javaRegExp("\\p{Alpha}+\\d", "").test("abc1")).toBe(true);
    expect(javaRegExp("a$", "m").test("a\nb")).toBe(false);
    expect(javaRegExp("(?i)t1", "").test("T1")).toBe(true);
    expect(javaRegExp("\\s", "").test("\u00a0")).toBe(false);
    expect(javaRegExp("\\p{IsLatin}+", "").test("abc")).toBe(true);
    for (const unsupported of ["a++", "a+*", "(?>a)", "[a[b]]", "[a-z&&[^e]]", "a(?i)b", "\\G"]) {
      expect(() => javaRegExp(unsupported, ""), unsupported).toThrow(JsonPathError);
    }
    expect(failure(() => scans("@.id =~ /a++/")).kind).toBe("InvalidPath");
  });
});

describe("nested filters and the document root", () => {
  it("treats a nested filter used as a condition as an existence test that always holds", () => {
    expect(scans("@.resources[?(@.label == 'nothing')]")).toEqual(["1", "2", "3", "10"]);
    // …unless the path to it is missing.
    const doc = { scans: [{ id: "a", resources: [] }, { id: "b" }] };
    expect(scans("@.resources[?(@.label == 'x')]", doc)).toEqual(["a"]);
  });

  it("evaluates nested filters as values", () => {
    expect(scans("@.resources[?(@.label == 'NIFTI')].label contains 'NIFTI'")).toEqual(["1"]);
    expect(scans("@.resources[?(@.label =~ /D.*/)] size 1")).toEqual(["1", "2"]);
  });

  it("reads $ inside a filter from the document being read", () => {
    const doc = { wanted: "MPRAGE", scans: session.scans };
    expect(scans("@.scan-type == $.wanted", doc)).toEqual(["2"]);
    expect(scans("@.scan-type in $.scans[*].scan-type", doc)).toEqual(["1", "2", "3"]);
    // Jayway runs an existence test on the element even for a `$` path.
    expect(scans("$.scan-type", doc)).toEqual(["1", "2", "3"]);
  });
});

describe("caching and robustness", () => {
  it("reuses a compiled path without mixing documents", () => {
    const path = "$.items[?(@.v == $.target)].v";
    const a = { target: 1, items: [{ v: 1 }, { v: 2 }] };
    const b = { target: 2, items: [{ v: 1 }, { v: 2 }, { v: 2 }] };
    expect(readJsonPath(a, path)).toEqual([1]);
    expect(readJsonPath(b, path)).toEqual([2, 2]);
    expect(readJsonPath(a, path)).toEqual([1]);
  });

  it("reports a cached invalid path every time", () => {
    for (let i = 0; i < 3; i++) {
      expect(failure(() => readJsonPath(session, "$.scans[?(@.id = 1)]")).kind).toBe("InvalidPath");
    }
  });

  it("throws only JsonPathError for odd documents", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(failure(() => readJsonPath(cyclic, "$..a")).kind).toBe("JsonPath");
    expect(failure(() => readJsonPath(undefined, "$.a")).kind).toBe("JsonPath");
    expect(failure(() => readJsonPath(session, "")).kind).toBe("InvalidPath");
    expect(readJsonPath("text", "$")).toBe("text");
  });

  it("filters a 10,000-element list (its speed is measured by the benchmark, not here)", () => {
    const big = {
      scans: Array.from({ length: 10_000 }, (_, i) => ({
        id: String(i),
        "scan-type": i % 3 === 0 ? "T1w" : "BOLD",
        resources: [{ label: "DICOM" }, { label: i % 2 === 0 ? "NIFTI" : "SNAPSHOTS" }],
      })),
    };
    const path = "$.scans[?('NIFTI' in @.resources[*].label && @.scan-type =~ /t1.*/i)]";
    const found = readJsonPath(big, path) as { id: string }[];
    expect(found).toHaveLength(1667);
    expect(found.every(({ id }) => Number(id) % 6 === 0)).toBe(true);
  });
});
