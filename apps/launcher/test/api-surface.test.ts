// The public face of @xcs/launcher: a removed or renamed export fails here.
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([
      "CliError",
      "EXIT",
      "HELP",
      "STDIN_PATH",
      "XNAT_OBJECT_TYPES",
      "formatFile",
      "formatReport",
      "formatSummary",
      "main",
      "schemaText",
      "summarize",
      "validatePaths",
      "validateText",
      "version",
      "writeSchema",
    ]);
  });

  it("keeps the documented exit codes", () => {
    expect(api.EXIT).toEqual({ ok: 0, invalid: 1, unreadable: 2, usage: 2, failure: 2 });
  });

  it("keeps the functions functions", () => {
    const functions = Object.entries(api)
      .filter(([, value]) => typeof value === "function")
      .map(([name]) => name);
    expect(functions.sort()).toEqual([
      "CliError",
      "formatFile",
      "formatReport",
      "formatSummary",
      "main",
      "schemaText",
      "summarize",
      "validatePaths",
      "validateText",
      "version",
      "writeSchema",
    ]);
  });
});
