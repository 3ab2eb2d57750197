// The safe argv (`resolved.safeArgv`): every input value reaches the container as argv elements
// of its own, so a value can never be re-read by the shell splitter or by `/bin/sh -c`. Compared
// with XCS's own argv (`resolved.argv`), which re-reads the whole command line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Command, readCommand } from "@xcs/command-schema";
import { afterAll, describe, expect, it } from "vitest";
import {
  argElements,
  ResolutionError,
  type ResolvedArgv,
  type ResolvedCommand,
  resolveCommand,
} from "../src/index.js";

const temporary: string[] = [];
afterAll(() => {
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
});

function tempDir(): string {
  const folder = mkdtempSync(join(tmpdir(), "xcs-safe-argv-"));
  temporary.push(folder);
  return folder;
}

function commandOf(json: Record<string, unknown>): Command {
  return readCommand(
    JSON.stringify({ name: "safe", type: "docker", image: "busybox:1", ...json }),
    {
      mode: "model",
    },
  ).command;
}

const emptyWrapper = {
  name: "w",
  "external-inputs": [],
  "derived-inputs": [],
  "output-handlers": [],
};

function resolve(
  json: Record<string, unknown>,
  inputs: Record<string, string | null> = {},
): ResolvedCommand {
  return resolveCommand(commandOf(json), {
    wrapper: "w",
    inputs,
    settings: { buildPath: "/nonexistent/build" },
    materialize: false,
  });
}

function safe(resolved: ResolvedCommand): ResolvedArgv {
  expect(resolved.safeArgv, "safe argv").toBeDefined();
  return resolved.safeArgv as ResolvedArgv;
}

/** A command without override-entrypoint: the line is split, no shell runs it. */
const splitCommand = {
  "command-line": "prog #TEXT# #SPACED# #EQ# --out=/x/#K#.txt #OPT# end",
  inputs: [
    { name: "TEXT", type: "string" },
    {
      name: "SPACED",
      type: "string",
      "command-line-flag": "--name",
      "command-line-separator": " ",
    },
    { name: "EQ", type: "string", "command-line-flag": "--f", "command-line-separator": "=" },
    { name: "K", type: "string" },
    { name: "OPT", type: "string", required: false, "command-line-flag": "--opt" },
  ],
  xnat: [emptyWrapper],
};

describe("safe argv without override-entrypoint", () => {
  const dangerous = "a | rm -rf / $HOME > /tmp/pwned 'quoted' \"dq\"";

  it("keeps a dangerous value as one element where XCS's split argv breaks it up", () => {
    const resolved = resolve(splitCommand, { TEXT: dangerous, SPACED: "n", EQ: "v", K: "k" });
    const argv = safe(resolved);
    expect(argv.entrypoint).toBeNull();
    expect(argv.cmd[0]).toBe("prog");
    expect(argv.cmd[1]).toBe(dangerous);
    expect(argv.cmd.filter((element) => element.includes("rm -rf"))).toEqual([dangerous]);
    // XCS pastes the value into the line and splits it again: the value is cut into words and
    // its quotes are eaten.
    expect(resolved.argv.entrypoint).toBeNull();
    expect(resolved.argv.cmd).not.toContain(dangerous);
    expect(resolved.argv.cmd.slice(1, 9)).toEqual([
      "a",
      "|",
      "rm",
      "-rf",
      "/",
      "$HOME",
      ">",
      "/tmp/pwned",
    ]);
    expect(resolved.argv.cmd).toContain("quoted");
    expect(resolved.argv.cmd).toContain("dq");
  });

  it("refuses XCS's illegal strings before any argv is built", () => {
    let caught: unknown;
    try {
      resolve(splitCommand, { TEXT: "a; rm -rf / $(x)", SPACED: "n", EQ: "v", K: "k" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ResolutionError);
    const error = caught as ResolutionError;
    expect(error.javaName).toBe("IllegalInputException");
    expect(error.input).toBe("TEXT");
    expect(error.message).toBe('Input "TEXT" has a value containing illegal string ";".');
  });

  it("keeps a value with a newline as one element", () => {
    const resolved = resolve(splitCommand, { TEXT: "line1\nline2", SPACED: "n", EQ: "v", K: "k" });
    expect(safe(resolved).cmd[1]).toBe("line1\nline2");
    expect(resolved.argv.cmd.slice(1, 3)).toEqual(["line1", "line2"]);
  });

  it("gives [flag, value] for separator ' ' and one --flag=value element for '='", () => {
    const resolved = resolve(splitCommand, {
      TEXT: "t",
      SPACED: "two words",
      EQ: "x y",
      K: "k",
    });
    expect(safe(resolved).cmd).toEqual([
      "prog",
      "t",
      "--name",
      "two words",
      "--f=x y",
      "--out=/x/k.txt",
      "end",
    ]);
    // XCS splits the values' words apart.
    expect(resolved.argv.cmd).toEqual([
      "prog",
      "t",
      "--name",
      "two",
      "words",
      "--f=x",
      "y",
      "--out=/x/k.txt",
      "end",
    ]);
  });

  it("keeps a key embedded in a token inside that one element", () => {
    const resolved = resolve(splitCommand, {
      TEXT: "t",
      SPACED: "n",
      EQ: "v",
      K: "my file $HOME",
    });
    expect(safe(resolved).cmd).toContain("--out=/x/my file $HOME.txt");
    expect(resolved.argv.cmd).toContain("--out=/x/my");
    expect(resolved.argv.cmd).toContain("file");
  });

  it("adds no element for a blank or missing optional value (nor its flag)", () => {
    const base = { TEXT: "t", SPACED: "n", EQ: "v", K: "k" };
    const expected = ["prog", "t", "--name", "n", "--f=v", "--out=/x/k.txt", "end"];
    expect(safe(resolve(splitCommand, base)).cmd).toEqual(expected);
    expect(safe(resolve(splitCommand, { ...base, OPT: "" })).cmd).toEqual(expected);
    expect(safe(resolve(splitCommand, { ...base, OPT: "   " })).cmd).toEqual(expected);
    expect(safe(resolve(splitCommand, { ...base, OPT: "o p" })).cmd).toEqual([
      ...expected.slice(0, -1),
      "--opt",
      "o p",
      "end",
    ]);
  });

  it("agrees with XCS's argv when the values hold nothing a splitter reads", () => {
    const resolved = resolve(splitCommand, { TEXT: "t", SPACED: "n", EQ: "v", K: "k", OPT: "o" });
    expect(safe(resolved).cmd).toEqual(resolved.argv.cmd);
  });

  it("does not substitute a key that appears inside another input's value", () => {
    const resolved = resolve(splitCommand, { TEXT: "#K#", SPACED: "n", EQ: "v", K: "k" });
    expect(safe(resolved).cmd[1]).toBe("#K#");
  });

  it("glues flag and value when the separator is the empty string, as XCS's line does", () => {
    const resolved = resolve(
      {
        "command-line": "prog #GLUED#",
        inputs: [
          {
            name: "GLUED",
            type: "string",
            "command-line-flag": "-n",
            "command-line-separator": "",
          },
        ],
        xnat: [emptyWrapper],
      },
      { GLUED: "4" },
    );
    expect(resolved.commandLine).toBe("prog -n4");
    expect(resolved.argv.cmd).toEqual(["prog", "-n4"]);
    expect(safe(resolved).cmd).toEqual(["prog", "-n4"]);
  });

  it("expands a boolean's true/false value like any other value", () => {
    const resolved = resolve(
      {
        "command-line": "dcm2niix #BIDS# -o /output /input",
        inputs: [
          {
            name: "BIDS",
            type: "boolean",
            "command-line-flag": "-b",
            "true-value": "y",
            "false-value": "n",
            "default-value": "false",
          },
        ],
        xnat: [emptyWrapper],
      },
      { BIDS: "TRUE" },
    );
    expect(safe(resolved).cmd).toEqual(["dcm2niix", "-b", "y", "-o", "/output", "/input"]);
  });
});

// A session with two scans; every derived input collects both scan ids (multiple: true).
function sessionJson(ids: [string, string]): string {
  return JSON.stringify({
    type: "Session",
    id: "E1",
    label: "sess1",
    uri: "/experiments/E1",
    directory: "/data/E1",
    scans: ids.map((id, index) => ({
      type: "Scan",
      id,
      label: `${id} - T${index + 1}`,
      "scan-type": `T${index + 1}`,
      uri: `/experiments/E1/scans/${index + 1}`,
      resources: [],
    })),
    assessors: [],
    resources: [],
  });
}

const DELIMITED = [
  { name: "SPACE", delimiter: "space" },
  { name: "COMMA", delimiter: "comma" },
  { name: "QSPACE", delimiter: "quoted-space" },
  { name: "FLAG_EQ", delimiter: "flag", flag: "--flag", separator: "=" },
  { name: "FLAG_SP", delimiter: "flag", flag: "--flag" },
  { name: "COMMA_FLAG", delimiter: "comma", flag: "-alt", separator: " " },
  { name: "QSPACE_FLAG", delimiter: "quoted-space", flag: "--q", separator: "=" },
  { name: "SPACE_FLAG", delimiter: "space", flag: "--s" },
] as const;

function multipleCommand(overrideEntrypoint: boolean): Record<string, unknown> {
  return {
    "override-entrypoint": overrideEntrypoint,
    "command-line": `${overrideEntrypoint ? "printf '[%s]\\n'" : "echo"} ${DELIMITED.map(({ name }) => `#${name}#`).join(" ")}`,
    inputs: DELIMITED.map((input) => ({
      name: input.name,
      type: "string",
      "multiple-delimiter": input.delimiter,
      ...("flag" in input ? { "command-line-flag": input.flag } : {}),
      ...("separator" in input ? { "command-line-separator": input.separator } : {}),
    })),
    xnat: [
      {
        name: "w",
        "external-inputs": [{ name: "session", type: "Session", required: true }],
        "derived-inputs": DELIMITED.map(({ name }) => ({
          name: `scans-${name}`,
          type: "Scan",
          "derived-from-wrapper-input": "session",
          "derived-from-xnat-object-property": "id",
          "provides-value-for-command-input": name,
          multiple: true,
        })),
        "output-handlers": [],
      },
    ],
  };
}

describe("safe argv of a multiple derived input", () => {
  it("expands each delimiter into the elements its line text stands for", () => {
    const resolved = resolve(multipleCommand(false), { session: sessionJson(["scan1", "scan2"]) });
    const expected = [
      "echo",
      ...["scan1", "scan2"], // space
      "scan1,scan2", // comma
      "scan1 scan2", // quoted-space: one argument
      ...["--flag=scan1", "--flag=scan2"], // flag, "="
      ...["--flag", "scan1", "--flag", "scan2"], // flag, no separator
      ...["-alt", "scan1,scan2"], // comma with a flag and separator " "
      "--q=scan1 scan2", // quoted-space with flag and "="
      ...["--s", "scan1", "scan2"], // space with a flag: the flag once
    ];
    expect(safe(resolved).cmd).toEqual(expected);
    // With harmless ids XCS's split line means the same.
    expect(resolved.argv.cmd).toEqual(expected);
  });

  it("keeps ids with spaces and quotes whole where XCS's line breaks them", () => {
    const resolved = resolve(multipleCommand(false), {
      session: sessionJson(["my scan", "it's"]),
    });
    const cmd = safe(resolved).cmd;
    expect(cmd.slice(0, 4)).toEqual(["echo", "my scan", "it's", "my scan,it's"]);
    expect(cmd[4]).toBe("my scan it's");
    // XCS: 'my scan it's' leaves an unbalanced quote that swallows the rest of the line.
    expect(resolved.argv.cmd.slice(0, 3)).toEqual(["echo", "my", "scan"]);
    expect(resolved.argv.cmd).not.toContain("my scan it's");
  });

  it("passes each element as its own positional parameter with override-entrypoint", () => {
    const ids: [string, string] = ["a b", "$HOME"];
    const resolved = resolve(multipleCommand(true), { session: sessionJson(ids) });
    const argv = safe(resolved);
    const printed = runArgv(argv, { HOME: "/home/victim" });
    expect(printed.status).toBe(0);
    const lines = printed.stdout.trimEnd().split("\n");
    expect(lines).toEqual(
      [
        ...ids,
        ids.join(","),
        ids.join(" "),
        ...ids.map((id) => `--flag=${id}`),
        ...ids.flatMap((id) => ["--flag", id]),
        "-alt",
        ids.join(","),
        `--q=${ids.join(" ")}`,
        "--s",
        ...ids,
      ].map((line) => `[${line}]`),
    );
    expect(printed.stdout).not.toContain("/home/victim");
  });
});

/** Runs an argv as an engine would run it with the entrypoint cleared: cmd[0] with the rest. */
function runArgv(argv: ResolvedArgv, env: Record<string, string>, cwd = tmpdir()) {
  expect(argv.entrypoint).toBe("");
  const [program, ...args] = argv.cmd as [string, ...string[]];
  return spawnSync(program, args, {
    encoding: "utf8",
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
  });
}

const shellCommand = {
  "override-entrypoint": true,
  "command-line": "printf '[%s]\\n' #TEXT# #SPACED# --out=/x/#K#.txt \"quoted: #K#\" #OPT#",
  inputs: [
    { name: "TEXT", type: "string" },
    { name: "SPACED", type: "string", "command-line-flag": "--name" },
    { name: "K", type: "string" },
    { name: "OPT", type: "string" },
  ],
  xnat: [emptyWrapper],
};

describe("safe argv with override-entrypoint", () => {
  it("is /bin/sh -c with positional parameters and the values as arguments", () => {
    const resolved = resolve(shellCommand, { TEXT: "t", SPACED: "n", K: "k" });
    const argv = safe(resolved);
    expect(argv.entrypoint).toBe("");
    expect(argv.cmd.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(argv.cmd[3]).toBe("sh");
    expect(argv.cmd.slice(4)).toEqual(["t", "--name", "n", "k", "k"]);
    const script = argv.cmd[2] as string;
    const quoted = (n: number) => `"\${${n}}"`; // "${n}"
    expect(script).toContain(quoted(1));
    expect(script).toContain(`${quoted(2)} ${quoted(3)}`);
    expect(script).toContain("--out=/x/");
    expect(script).not.toMatch(/#(TEXT|SPACED|K|OPT)#/);
    // XCS: the resolved line itself is the script.
    expect(resolved.argv).toEqual({
      entrypoint: "",
      cmd: ["/bin/sh", "-c", resolved.commandLine],
    });
  });

  it("prints dangerous values literally when a real shell runs it", () => {
    const dir = tempDir();
    const pwned = join(dir, "pwned");
    const text = `$HOME | tr a-z A-Z > ${pwned} 'single' "double" * \\ end`;
    const name = "two\nlines";
    const k = "$USER) >x";
    const resolved = resolve(shellCommand, { TEXT: text, SPACED: name, K: k });
    const printed = runArgv(safe(resolved), { HOME: "/home/victim", USER: "victim" }, dir);
    expect(printed.stderr).toBe("");
    expect(printed.status).toBe(0);
    expect(printed.stdout).toBe(
      [text, "--name", name, `--out=/x/${k}.txt`, `quoted: ${k}`].map((v) => `[${v}]\n`).join(""),
    );
    expect(printed.stdout).not.toContain("/home/victim");
    expect(existsSync(pwned)).toBe(false);
  });

  it("shows the injection XCS's argv allows with the same values", () => {
    const dir = tempDir();
    const resolved = resolve(
      { ...shellCommand, "command-line": "echo #TEXT#" },
      { TEXT: "$HOME | tr a-z A-Z" },
    );
    const env = { HOME: "/home/victim" };
    const xcs = runArgv(resolved.argv, env, dir);
    expect(xcs.stdout).toBe("/HOME/VICTIM\n");
    const ours = runArgv(safe(resolved), env, dir);
    expect(ours.stdout).toBe("$HOME | tr a-z A-Z\n");
  });

  it("runs like XCS's line when the values are harmless", () => {
    const lines = [
      "printf '[%s]\\n' #SPACED#; printf '(%s)\\n' #TEXT#|cat",
      "printf '[%s]\\n' #SPACED#>&1 && printf '<%s>\\n' x#K#y \"#TEXT#\"",
      "(printf '[%s]\\n' #SPACED#)",
      "printf '[%s]\\n' #OPT# #TEXT#",
    ];
    for (const line of lines) {
      const resolved = resolve(
        { ...shellCommand, "command-line": line },
        { TEXT: "t", SPACED: "n", K: "k" },
      );
      const ours = runArgv(safe(resolved), {});
      const xcs = runArgv(resolved.argv, {});
      expect(ours.stderr, line).toBe("");
      expect(ours.stdout, line).toBe(xcs.stdout);
    }
  });

  it("treats shell operators right after a key as the end of its words", () => {
    const resolved = resolve(
      { ...shellCommand, "command-line": "printf '[%s]\\n' #SPACED#; echo done" },
      { SPACED: "two words" },
    );
    expect(runArgv(safe(resolved), {}).stdout).toBe("[--name]\n[two words]\ndone\n");
  });

  it("leaves out a blank value entirely, even between double quotes", () => {
    const resolved = resolve(shellCommand, { TEXT: "t", SPACED: "", K: "", OPT: "" });
    const argv = safe(resolved);
    expect(argv.cmd.slice(4)).toEqual(["t"]);
    const printed = runArgv(argv, {});
    expect(printed.stdout).toBe("[t]\n[--out=/x/.txt]\n[quoted: ]\n");
  });

  it("is undefined when a key sits inside single quotes", () => {
    const resolved = resolve(
      { ...shellCommand, "command-line": "sh -c 'echo #TEXT#'" },
      { TEXT: "t" },
    );
    expect(resolved.safeArgv).toBeUndefined();
    // XCS still runs its line.
    expect(resolved.argv.cmd).toEqual(["/bin/sh", "-c", "sh -c 'echo t'"]);
  });

  it("is defined when single quotes hold no key (a single quote inside double quotes is text)", () => {
    const resolved = resolve(
      { ...shellCommand, "command-line": "printf '%s|' \"it's #TEXT#\"" },
      { TEXT: "a'b" },
    );
    const printed = runArgv(safe(resolved), {});
    expect(printed.stdout).toBe("it's a'b|");
  });
});

describe("argElements", () => {
  const input = (fields: Record<string, string | null>) => ({
    type: "string" as const,
    commandLineFlag: null,
    commandLineSeparator: null,
    multipleDelimiter: null,
    ...fields,
  });

  it("drops blank values and formats lists by delimiter", () => {
    expect(argElements({ input: input({}), values: ["", " "], list: false })).toEqual([]);
    expect(argElements({ input: null, values: ["a b"], list: false })).toEqual(["a b"]);
    expect(
      argElements({
        input: input({ commandLineFlag: "--f", multipleDelimiter: "flag" }),
        values: ["a", "", "b"],
        list: true,
      }),
    ).toEqual(["--f", "a", "--f", "b"]);
    expect(
      argElements({
        input: input({ commandLineFlag: "--f", commandLineSeparator: "=" }),
        values: ["a", "b"],
        list: true,
      }),
    ).toEqual(["--f=a", "b"]);
  });
});
