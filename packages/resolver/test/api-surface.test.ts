// The public face of @xcs/resolver. A removed or renamed export fails here; an added one must
// be added to the list (and to the README's API section).
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const EXPORTS = [
  "commandLineFragment",
  "containerCommand",
  "formatMultipleValues",
  "formatSingleValue",
  "JsonPathError",
  "multipleFragment",
  "readJsonPath",
  "readJsonPathAsString",
  "readJsonPathList",
  "resolvedInputValue",
  "shellSplit",
  "argElements",
  "checkIllegalValue",
  "commandRegistry",
  "ILLEGAL_INPUT_STRINGS",
  "MASK",
  "maskSensitive",
  "sensitiveValues",
  "quirksFor",
  "ResolutionError",
  "resolveCommand",
  "resolvedCommandJson",
  "resolveTemplate",
  "substituteJsonPath",
];

describe("@xcs/resolver", () => {
  it("exports exactly the documented API", () => {
    expect(Object.keys(api).sort()).toEqual([...EXPORTS].sort());
  });

  it("gives engines a shell only with override-entrypoint", () => {
    const line = "echo $XNAT_HOST > /output/out.txt";
    expect(api.containerCommand(line, true)).toEqual({
      entrypoint: "",
      cmd: ["/bin/sh", "-c", line],
    });
    expect(api.containerCommand(line, false)).toEqual({
      entrypoint: null,
      cmd: ["echo", "$XNAT_HOST", ">", "/output/out.txt"],
    });
  });
});
