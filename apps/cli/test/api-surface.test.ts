// The public face of @radifox/cli: a removed or renamed export fails here.
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([
      "CliError",
      "EXIT",
      "HELP",
      "main",
      "radifoxStage",
      "stage",
      "stageExitCode",
      "version",
    ]);
  });

  it("keeps the documented exit codes", () => {
    expect(api.EXIT).toEqual({
      ok: 0,
      failure: 1,
      usage: 64,
      dataError: 65,
      noInput: 66,
      software: 70,
      cantCreate: 73,
      ioError: 74,
      tempFail: 75,
    });
  });
});
