// The xcs command line itself: help, version, xcs schema (stdout and --out), the built bin.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandJsonSchema } from "@xcs/command-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, schemaText, version } from "../src/index.js";
import { BIN, runCli } from "./support.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "xcs-cli-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("xcs (top level)", () => {
  it("prints the version of the package", async () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const { code, stdout } = await runCli(["--version"]);
    expect([code, stdout]).toEqual([EXIT.ok, `${manifest.version}\n`]);
    expect(version()).toBe(manifest.version);
  });

  it("prints help, and each command's help", async () => {
    expect((await runCli(["--help"])).stdout).toContain("validate <path...>");
    expect((await runCli(["validate", "--help"])).stdout).toContain("Usage: xcs validate");
    expect((await runCli(["help", "schema"])).stdout).toContain("Usage: xcs schema");
    const schemaHelp = await runCli(["schema", "-h"]);
    expect([schemaHelp.code, schemaHelp.stdout]).toEqual([0, expect.stringContaining("$schema")]);
  });

  it("prints help on stderr and exits 2 without a command", async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect([code, stdout]).toEqual([EXIT.usage, ""]);
    expect(stderr).toContain("Usage: xcs");
  });
});

describe("xcs schema", () => {
  it("prints the JSON Schema, 2-space indented", async () => {
    const { code, stdout } = await runCli(["schema"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(commandJsonSchema());
    expect(stdout).toBe(`${JSON.stringify(commandJsonSchema(), null, 2)}\n`);
    expect(stdout).toBe(schemaText());
  });

  it("--out writes the file atomically, replacing an old one", async () => {
    writeFileSync(join(root, "command.schema.json"), "old");
    const { code, stdout } = await runCli(["schema", "--out", "command.schema.json"], {
      cwd: root,
    });
    expect([code, stdout]).toEqual([0, ""]);
    expect(readFileSync(join(root, "command.schema.json"), "utf8")).toBe(schemaText());
    // No temporary file is left behind.
    expect(readdirSync(root)).toEqual(["command.schema.json"]);
  });

  it("exits 2 when the file cannot be written", async () => {
    const { code, stderr } = await runCli(["schema", "-o", join(root, "no", "such", "x.json")]);
    expect(code).toBe(EXIT.failure);
    expect(stderr).toMatch(/^xcs: cannot write .*x\.json: ENOENT/);
    expect(readdirSync(root).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

describe("the built bin", () => {
  it("runs xcs schema and xcs validate from stdin", () => {
    expect(existsSync(BIN), `${BIN} is missing: build first (npx tsup)`).toBe(true);
    const schema = spawnSync(process.execPath, [BIN, "schema"], { encoding: "utf8" });
    expect([schema.status, schema.stdout]).toEqual([0, schemaText()]);
    const validate = spawnSync(process.execPath, [BIN, "validate", "-", "--json"], {
      input: '{"name": "x", "image": "busybox:1", "type": "docker", "command-line": "true"}',
      encoding: "utf8",
    });
    expect(validate.status).toBe(0);
    expect(JSON.parse(validate.stdout).files[0]).toMatchObject({
      path: "<stdin>",
      form: "command",
      commands: [{ name: "x", status: "accepted" }],
    });
    const bad = spawnSync(process.execPath, [BIN, "validate"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
  });
});
