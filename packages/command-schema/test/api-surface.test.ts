// The public face of @xcs/command-schema. A removed or renamed export fails here; an added one
// must be added to the list (and to the README's API section).
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const EXPORTS = [
  "COMMAND_FIELDS",
  "COMMAND_INPUT_TYPES",
  "COMMAND_LABEL",
  "COMMAND_TYPES",
  "CommandReadError",
  "FilterSyntaxError",
  "IMAGE_WITH_TAG",
  "JsonSyntaxError",
  "MAX_FILTER_DEPTH",
  "MULTIPLE_DELIMITERS",
  "OBJECT_FIELDS",
  "OUTPUT_HANDLER_TYPES",
  "PULLED_IMAGE",
  "READ_MODES",
  "SCHEMA_FILE",
  "VISIBILITIES",
  "WRAPPER_INPUT_TYPES",
  "checkCommand",
  "commandJsonSchema",
  "commandToJson",
  "decodeCommandLabel",
  "dockerfileLabel",
  "encodeCommandLabel",
  "isBlank",
  "isJavaWhitespace",
  "javaHashSetOrder",
  "javaList",
  "keysIn",
  "lastEntry",
  "lintCommand",
  "nodeAt",
  "parseCommand",
  "parseFilter",
  "plainValue",
  "readCommand",
  "readJson",
  "readJsonStringList",
  "readWarningFindings",
  "tryParseFilter",
  "validateCommand",
  "xcsValidate",
];

describe("@xcs/command-schema", () => {
  it("exports exactly the documented API", () => {
    expect(Object.keys(api).sort()).toEqual([...EXPORTS].sort());
  });

  it("ships the JSON Schema beside the code", () => {
    // The build writes it (see tsup.config.ts); the package's exports map points at it.
    expect(existsSync(new URL(`../dist/${api.SCHEMA_FILE}`, import.meta.url))).toBe(true);
  });
});
