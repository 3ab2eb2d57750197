// xcs validate on small command files written for the test: exit codes, the forms a file may
// hold (one command, a list, a label value in a string, docker inspect output), folder walks,
// --lint, --json and the human output.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EXIT,
  type FileReport,
  formatReport,
  type ValidationReport,
  validatePaths,
  validateText,
} from "../src/index.js";
import { runCli } from "./support.js";

const GOOD = {
  name: "hello",
  description: "says hello",
  image: "busybox:1.36",
  type: "docker",
  "command-line": "echo hello",
};
const NO_IMAGE = { name: "from-label", type: "docker", "command-line": "echo hi", foo: 1 };
/** XNAT rejects it: an unknown wrapper input type. */
const BAD = {
  ...GOOD,
  name: "bad",
  xnat: [{ name: "w", "external-inputs": [{ name: "s", type: "Sesion" }] }],
};
/** XNAT accepts it; the stricter checks do not (XNAT_HOST is set by XNAT too). */
const LINT_ERROR = { ...GOOD, name: "env", "environment-variables": { XNAT_HOST: "x" } };
/** An XNAT message of three lines. */
const MULTI_LINE = {
  ...GOOD,
  name: "multi",
  mounts: [{ name: "out", writable: true, path: "/out" }],
  outputs: [{ name: "result", mount: "out", path: "result.txt" }],
  xnat: [
    {
      name: "w",
      "external-inputs": [{ name: "session", type: "Session" }],
      "output-handlers": [
        {
          name: "h",
          "accepts-command-output": "result",
          "as-a-child-of": "nope",
          type: "Resource",
          label: "OUT",
        },
      ],
    },
  ],
};

let root: string;
const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function write(relative: string, text: string) {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

async function json(args: string[]) {
  const { code, stdout, stderr } = await runCli([...args, "--json"], { cwd: root });
  return { code, report: JSON.parse(stdout) as ValidationReport, stderr };
}

/** 1-based line and column of the first `needle` in `text`. */
function positionOf(text: string, needle: string) {
  const offset = text.indexOf(needle);
  expect(offset).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
}

/** Where the value after `key` (written as in `text`, with its colon) starts. */
function valueAfter(text: string, key: string) {
  const { line, column } = positionOf(text, key);
  return { line, column: column + key.length };
}

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "xcs-validate-")));
  write("good.json", pretty(GOOD));
  write("bad.json", pretty(BAD));
  write("broken.json", '{\n  "name": "x",\n}\n');
  write("lint.json", pretty(LINT_ERROR));
  write("multi.json", pretty(MULTI_LINE));
  write("list.json", pretty([GOOD, NO_IMAGE]));
  write("label-string.json", `${JSON.stringify(JSON.stringify([GOOD, NO_IMAGE]))}\n`);
  write("bom.json", `\ufeff${pretty(NO_IMAGE)}`);
  const label = JSON.stringify([NO_IMAGE]);
  write(
    "inspect.json",
    pretty([
      {
        Id: "sha256:1111",
        RepoTags: ["lab/tool:2.0"],
        Config: { Image: "sha256:2222", Labels: { "org.nrg.commands": label, other: "x" } },
      },
      { Id: "sha256:3333", RepoTags: [], Config: { Image: "", Labels: null } },
    ]),
  );
  write(
    "container-inspect.json",
    pretty({
      Id: "c0ffee",
      Config: { Image: "lab/tool:3.0", Labels: { "org.nrg.commands": label } },
    }),
  );
  write("session.json", pretty({ type: "Session", id: "E1", label: "sess1", scans: [] }));
  // A folder of commands with an XNAT object, hidden entries and node_modules.
  write("tree/b/good.json", pretty(GOOD));
  write("tree/a.json", pretty(GOOD));
  write("tree/B.json", pretty(GOOD));
  write("tree/\u00e9.json", pretty(GOOD));
  write("tree/\uff21.json", pretty(GOOD));
  write("tree/\u{1f600}.json", pretty(GOOD));
  write("tree/session.json", pretty({ type: "Session", id: "E1" }));
  write("tree/notes.txt", "not json");
  write("tree/.hidden.json", "broken");
  write("tree/.git/x.json", "broken");
  write("tree/node_modules/pkg/package.json", "broken");
  mkdirSync(join(root, "empty"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("exit codes", () => {
  it("0 when XNAT accepts every command", async () => {
    const { code, stdout } = await runCli(["validate", "good.json"], { cwd: root });
    expect(code).toBe(EXIT.ok);
    expect(stdout).toBe(
      "good.json: accepted\n" +
        "1 file, 1 command: 1 accepted, 0 rejected by XNAT, 0 unreadable; 0 errors, 0 warnings\n",
    );
  });

  it("1 when XNAT rejects a command", async () => {
    expect((await runCli(["validate", "bad.json"], { cwd: root })).code).toBe(EXIT.invalid);
    expect((await runCli(["validate", "good.json", "bad.json"], { cwd: root })).code).toBe(1);
  });

  it("2 when an input cannot be read, over 1", async () => {
    expect((await runCli(["validate", "broken.json"], { cwd: root })).code).toBe(2);
    expect((await runCli(["validate", "bad.json", "broken.json"], { cwd: root })).code).toBe(2);
    const missing = await json(["validate", "good.json", "nope.json"]);
    expect(missing.code).toBe(EXIT.unreadable);
    expect(missing.report.files[1]).toEqual({
      path: "nope.json",
      commands: [
        {
          mode: "rest",
          status: "unreadable",
          accepted: false,
          readError: {
            kind: "io",
            message: "no such file or folder",
            pointer: "",
            line: null,
            column: null,
            errno: "ENOENT",
          },
          findings: [],
        },
      ],
    });
    const empty = await runCli(["validate", "empty"], { cwd: root });
    expect(empty.code).toBe(2);
    expect(empty.stdout).toContain("empty: cannot be read\n  empty: error io: no *.json files");
  });

  it("2 for bad arguments, with the reason on stderr", async () => {
    for (const args of [
      ["validate"],
      ["validate", "--mode", "pojo", "good.json"],
      ["validate", "--nope", "good.json"],
      ["frobnicate"],
      ["schema", "extra"],
    ]) {
      const { code, stderr } = await runCli(args, { cwd: root });
      expect(code, args.join(" ")).toBe(EXIT.usage);
      expect(stderr).toMatch(/^xcs: .+\n$/);
    }
    const { stdout } = await runCli(["validate", "--mode", "x", "--json", "a"], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({
      error: { exitCode: 2, message: expect.stringContaining("unknown mode 'x'") },
    });
  });
});

describe("what a file holds", () => {
  it("reports a syntax error at its place", async () => {
    const { report } = await json(["validate", "broken.json"]);
    expect(report.files[0]?.commands[0]?.readError).toEqual({
      kind: "syntax",
      message: "trailing comma: a property name must follow ','",
      pointer: "",
      line: 3,
      column: 1,
    });
    const { stdout } = await runCli(["validate", "broken.json"], { cwd: root });
    expect(stdout).toContain("broken.json:3:1: error syntax: trailing comma");
  });

  it("reads a list of commands as an image label, or in the mode asked for", async () => {
    const text = pretty([GOOD, NO_IMAGE]);
    const auto = (await json(["validate", "list.json"])).report.files[0] as FileReport;
    expect(auto.form).toBe("list");
    expect(auto.commands.map((c) => [c.index, c.name, c.mode, c.status])).toEqual([
      [0, "hello", "label", "accepted"],
      // Without --image nothing names the image: XNAT would use the name the image was pulled
      // as, so a stand-in is used and the image checks pass.
      [1, "from-label", "label", "accepted"],
    ]);
    const unknown = auto.commands[1]?.findings.find((f) => f.code === "read-unknown-key");
    expect(unknown).toMatchObject({ pointer: "/foo", ...valueAfter(text, '"foo": ') });

    const named = await json(["validate", "list.json", "--image", "lab/tool:1.0"]);
    expect(named.code).toBe(0);
    const rest = (await json(["validate", "list.json", "--mode", "rest"])).report.files[0];
    expect(rest?.commands.map((c) => c.mode)).toEqual(["rest", "rest"]);
    expect(rest?.commands[1]?.findings.find((f) => f.code === "read-unknown-key")).toMatchObject(
      valueAfter(text, '"foo": '),
    );
  });

  it("decodes a label value copied as a JSON string, with places in the file", async () => {
    const text = `${JSON.stringify(JSON.stringify([GOOD, NO_IMAGE]))}\n`;
    const { code, report } = await json(["validate", "label-string.json", "--image", "lab/x:1"]);
    expect(code).toBe(0);
    const file = report.files[0] as FileReport;
    expect(file.form).toBe("label");
    expect(file.commands.map((c) => [c.index, c.name, c.status])).toEqual([
      [0, "hello", "accepted"],
      [1, "from-label", "accepted"],
    ]);
    // The key is written \"foo\" in the file: the place is that of its value there.
    expect(file.commands[1]?.findings[0]).toMatchObject({
      code: "read-unknown-key",
      ...valueAfter(text, '\\"foo\\":'),
    });
    const notArray = validateText(JSON.stringify(JSON.stringify({ name: "x" })));
    expect(notArray.commands[0]).toMatchObject({
      status: "rejected",
      readError: { kind: "shape" },
    });
    expect(validateText('"not json"').commands[0]?.status).toBe("unreadable");
  });

  it("reads the commands of docker inspect output from the image label", async () => {
    const { code, report } = await json(["validate", "inspect.json", "container-inspect.json"]);
    const [images, container] = report.files as [FileReport, FileReport];
    expect(images.form).toBe("docker-inspect");
    expect(images.commands.map((c) => [c.image, c.name, c.status])).toEqual([
      ["lab/tool:2.0", "from-label", "accepted"],
      [undefined, undefined, "rejected"],
    ]);
    expect(images.commands[1]?.readError?.message).toContain("has no org.nrg.commands label");
    expect(container.form).toBe("docker-inspect");
    expect(container.commands.map((c) => [c.image, c.status])).toEqual([
      ["lab/tool:3.0", "accepted"],
    ]);
    expect(code).toBe(1);
    const named = await json(["validate", "container-inspect.json", "--image", "other:1"]);
    expect(named.report.files[0]?.commands[0]?.image).toBe("other:1");
  });

  it("skips a byte order mark", () => {
    const file = validateText(`\ufeff${pretty(NO_IMAGE)}`, { image: "x:1" });
    expect(file.commands[0]?.findings[0]).toMatchObject(valueAfter(pretty(NO_IMAGE), '"foo": '));
  });

  it("reads standard input for -", async () => {
    const { code, stdout } = await runCli(["validate", "-"], { stdin: JSON.stringify(GOOD) });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^<stdin>: accepted\n/);
    const none = await runCli(["validate", "-"]);
    expect(none.code).toBe(2);
  });
});

describe("folders", () => {
  it("checks every *.json in code-point order, skipping XNAT objects, hidden entries and node_modules", async () => {
    const { code, report } = await json(["validate", "tree"]);
    expect(report.files.map((f) => [f.path, f.skipped === undefined])).toEqual([
      ["tree/B.json", true],
      ["tree/a.json", true],
      ["tree/b/good.json", true],
      ["tree/session.json", false],
      ["tree/\u00e9.json", true],
      ["tree/\uff21.json", true],
      ["tree/\u{1f600}.json", true],
    ]);
    expect(report.files[3]?.skipped).toBe("an XNAT Session document, not a command");
    expect(report.summary).toMatchObject({ files: 7, skipped: 1, commands: 6, accepted: 6 });
    expect(code).toBe(0);
    const human = await runCli(["validate", "tree"], { cwd: root });
    expect(human.stdout).toContain(
      "tree/session.json: skipped (an XNAT Session document, not a command)\n",
    );
    expect(human.stdout).toMatch(/7 files \(1 skipped\), 6 commands: 6 accepted/);
  });

  it("checks an XNAT object document given as a file", async () => {
    const { code, report } = await json(["validate", "session.json"]);
    expect(report.files[0]?.skipped).toBeUndefined();
    expect(report.files[0]?.commands[0]?.accepted).toBe(false);
    expect(code).toBe(1);
  });

  it("checks a file once when it is named twice", async () => {
    const report = await validatePaths(["good.json", "./good.json", "."], { cwd: root });
    expect(
      report.files.filter((f) => f.path.endsWith("good.json") && !f.path.includes("/")),
    ).toHaveLength(1);
  });
});

describe("--lint", () => {
  it("adds the stricter checks; their errors fail the run", async () => {
    const plain = await json(["validate", "lint.json"]);
    expect(plain.code).toBe(0);
    expect(plain.report.files[0]?.commands[0]?.findings).toEqual([]);
    const lint = await json(["validate", "lint.json", "--lint"]);
    expect(lint.code).toBe(1);
    expect(lint.report.lint).toBe(true);
    const findings = lint.report.files[0]?.commands[0]?.findings ?? [];
    expect(findings.map((f) => [f.source, f.code, f.severity])).toEqual(
      expect.arrayContaining([
        ["lint", "lint-env-reserved", "error"],
        ["lint", "lint-image-digest", "info"],
      ]),
    );
    expect(lint.report.files[0]?.commands[0]?.accepted).toBe(true);
    expect(lint.report.summary.lint).toBe(findings.length);
    const human = await runCli(["validate", "lint.json", "--lint"], { cwd: root });
    expect(human.stdout).toContain("lint.json: accepted (1 lint error, 1 note)\n");
    expect(human.stdout).toMatch(/\(lint: 2 findings\)\n$/);
  });

  it("does not fail on lint warnings and notes", async () => {
    const { code, report } = await json(["validate", "good.json", "--lint"]);
    expect(code).toBe(0);
    expect(report.summary.lint).toBeGreaterThan(0);
  });
});

describe("output", () => {
  it("--json: one document with files, commands, findings and a summary", async () => {
    const { report } = await json(["validate", "bad.json", "good.json"]);
    expect(Object.keys(report)).toEqual(["mode", "lint", "files", "summary"]);
    expect(report.mode).toBeNull();
    const command = report.files[0]?.commands[0];
    expect(command).toMatchObject({
      name: "bad",
      mode: "rest",
      status: "rejected",
      accepted: false,
    });
    const finding = command?.findings[0];
    expect(Object.keys(finding ?? {}).sort()).toEqual([
      "code",
      "column",
      "hint",
      "line",
      "message",
      "pointer",
      "severity",
      "source",
    ]);
    expect(finding).toMatchObject({
      code: "xcs-wrapper-input-type",
      severity: "error",
      source: "xcs",
      pointer: "/xnat/0/external-inputs/0/type",
      ...positionOf(pretty(BAD), '"Sesion"'),
    });
    expect(report.summary).toEqual({
      files: 2,
      skipped: 0,
      commands: 2,
      accepted: 1,
      rejected: 1,
      unreadable: 0,
      errors: 1,
      warnings: 0,
      infos: 0,
      lint: 0,
      exitCode: 1,
    });
  });

  it("prints path:line:col lines with hints, multi-line messages indented", async () => {
    const { stdout } = await runCli(["validate", "bad.json", "multi.json"], { cwd: root });
    const { line, column } = positionOf(pretty(BAD), '"Sesion"');
    expect(stdout).toContain(
      `bad.json: rejected by XNAT (1 error)\n  bad.json:${line}:${column}: error xcs-wrapper-input-type: Command "bad" - wrapper "w" - Command wrapper input "s" - Unknown type "Sesion". Known types: `,
    );
    expect(stdout).toMatch(/\n {6}hint: \S/);
    expect(stdout).toMatch(
      /multi\.json:\d+:\d+: error xcs-handler-unknown-parent: .*"as-a-child-of": "nope"\.\n {6}Known inputs: session\.\n {6}Known outputs \(so far\): \.\n {6}hint: /,
    );
  });

  it("prints what formatReport makes of the report", async () => {
    const paths = ["good.json", "bad.json", "list.json", "inspect.json", "broken.json"];
    const human = await runCli(["validate", ...paths], { cwd: root });
    expect(human.stdout).toBe(formatReport(await validatePaths(paths, { cwd: root })));
    expect(human.stdout).toContain("list.json: list, 2 commands (label mode): 2 accepted\n");
    expect(human.stdout).toContain('  #0 "hello": accepted\n');
  });
});
