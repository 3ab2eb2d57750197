// Runner for jsonpath-filter.json: Jayway 2.10 reads of XNAT object documents, as XCS's
// matchers, derived-input property reads and `^…^` substitutions perform them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  JsonPathError,
  readJsonPath,
  readJsonPathAsString,
  readJsonPathList,
} from "../src/index.js";
import { CONFORMANCE, loadVectors } from "./support.js";

const FILE = "jsonpath-filter.json";

interface JsonPathCase {
  id: string;
  document: unknown;
  path: string;
  readAs: "list" | "string" | "alwaysReturnList";
  expected: { matched?: string[]; value?: unknown; error?: string };
}

const vectors = loadVectors<{ cases: JsonPathCase[] }>(FILE);

/** `{"$ref": "fixtures/…"}` is a file relative to the vector file's directory. */
function deref(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "$ref" in value) {
    const ref = (value as { $ref: string }).$ref;
    return JSON.parse(readFileSync(join(CONFORMANCE, ref), "utf8"));
  }
  return value;
}

function read(testCase: JsonPathCase): unknown {
  const document = deref(testCase.document);
  switch (testCase.readAs) {
    case "list":
      return readJsonPath(document, testCase.path);
    case "string":
      return readJsonPathAsString(document, testCase.path);
    case "alwaysReturnList":
      return readJsonPathList(document, testCase.path);
  }
}

/** Matched elements are named by `id` (File elements, which have none, by `name`). */
function matchedIds(result: unknown): unknown {
  if (!Array.isArray(result)) return result;
  return result.map((element: Record<string, unknown>) =>
    element.type === "File" ? element.name : element.id,
  );
}

describe.skipIf(!vectors)(FILE, () => {
  for (const testCase of vectors?.cases ?? []) {
    it(`${FILE} ${testCase.id}`, () => {
      const { expected } = testCase;
      if (expected.error !== undefined) {
        let thrown: unknown;
        try {
          read(testCase);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(JsonPathError);
        expect((thrown as JsonPathError).javaName).toBe(expected.error);
        return;
      }
      const result = read(testCase);
      if (testCase.readAs === "list") expect(matchedIds(result)).toEqual(expected.matched);
      else expect(result).toEqual(expected.value);
    });
  }
});
