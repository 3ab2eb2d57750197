// xcs validate on the shared conformance fixtures, compared with validate.json: every case whose
// command is a fixture file must come out of a folder walk as XNAT's REST create (`rest`) and
// the model reader (`pojo`, `--mode model`) report it. Expected values are read at test time.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { normalize } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type FileReport, formatReport, type ValidationReport } from "../src/index.js";
import { BIN, CONFORMANCE, conformancePresent, loadVectors, runCli } from "./support.js";

type Outcome =
  | { outcome: "messages"; messages: string[] }
  | { outcome: "parseError" | "constructionError"; detail?: string }
  | { outcome: "crash"; fixedOutcome: "invalid" };

interface Case {
  id: string;
  command?: unknown;
  orderInsensitiveLists: boolean;
  expected: { pojo: Outcome; rest: Outcome };
}

const present = conformancePresent();

/** The fixture a case refers to (`{"$ref": "fixtures/..."}`), if it does. */
function refOf(testCase: Case): string | undefined {
  const command = testCase.command as { $ref?: unknown } | undefined;
  return command && typeof command === "object" && typeof command.$ref === "string"
    ? command.$ref
    : undefined;
}

/** Sorts the hash-ordered name lists inside messages (the normalisation of the vectors' README). */
function normaliseLists(message: string): string {
  return message.replace(
    /(Known (?:inputs|outputs|mounts|outputs \(so far\)|types): )(.*?)(?=\.\n|\.?$)/gs,
    (_, head: string, list: string) => head + list.split(", ").sort().join(", "),
  );
}

function expectOutcome(file: FileReport | undefined, expected: Outcome, anyOrder: boolean) {
  expect(file, "the fixture is in the report").toBeDefined();
  expect(file?.skipped).toBeUndefined();
  expect(file?.commands).toHaveLength(1);
  const command = file?.commands[0];
  if (!command) return;
  switch (expected.outcome) {
    case "messages": {
      expect(command.readError).toBeUndefined();
      let messages = command.findings
        .filter((finding) => finding.source === "xcs")
        .map((finding) => finding.message);
      let want = expected.messages;
      if (anyOrder) {
        messages = messages.map(normaliseLists).sort();
        want = want.map(normaliseLists).sort();
      }
      expect(messages).toEqual(want);
      expect(command.accepted).toBe(want.length === 0);
      expect(command.status).toBe(want.length === 0 ? "accepted" : "rejected");
      break;
    }
    case "parseError":
      expect(command.readError?.kind).toMatch(/^(syntax|shape)$/);
      expect(command.status).toBe(command.readError?.kind === "syntax" ? "unreadable" : "rejected");
      expect(command.readError?.line).toBeGreaterThan(0);
      break;
    case "constructionError":
      expect(command.readError?.kind).toBe("construction");
      expect(command.status).toBe("rejected");
      break;
    case "crash":
      // XNAT fails with an internal error; it is reported as a finding instead.
      expect(command.findings.some((finding) => finding.code.startsWith("xcs-crash-"))).toBe(true);
      expect(command.accepted).toBe(false);
  }
  // Every finding has its place in the file.
  for (const finding of command.findings) expect(finding.line).toBeGreaterThan(0);
}

describe.skipIf(!present)("xcs validate fixtures/ (conformance)", () => {
  const cases = present
    ? loadVectors<{ cases: Case[] }>("validate.json").cases.filter((c) => refOf(c) !== undefined)
    : [];
  const reports = {} as Record<"rest" | "model", { code: number; report: ValidationReport }>;

  beforeAll(async () => {
    for (const mode of ["rest", "model"] as const) {
      const args = [
        "validate",
        "fixtures",
        "--json",
        ...(mode === "model" ? ["--mode", mode] : []),
      ];
      const { code, stdout } = await runCli(args, { cwd: CONFORMANCE });
      reports[mode] = { code, report: JSON.parse(stdout) as ValidationReport };
    }
  });

  const fileOf = (mode: "rest" | "model", ref: string) =>
    reports[mode].report.files.find((file) => file.path === normalize(ref));

  it("has fixture cases to compare", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const testCase of cases) {
    const ref = refOf(testCase) as string;
    it(`${testCase.id} (rest)`, () => {
      expectOutcome(fileOf("rest", ref), testCase.expected.rest, testCase.orderInsensitiveLists);
    });
    it(`${testCase.id} (pojo: --mode model)`, () => {
      expectOutcome(fileOf("model", ref), testCase.expected.pojo, testCase.orderInsensitiveLists);
    });
  }

  it("skips the XNAT object documents of the folder and reads the rest", () => {
    for (const { report } of Object.values(reports)) {
      const xnat = report.files.filter((file) => file.path.startsWith(normalize("fixtures/xnat/")));
      expect(xnat.length).toBeGreaterThan(0);
      for (const file of xnat) expect(file.skipped).toMatch(/^an XNAT \w+ document/);
      expect(report.summary.skipped).toBeGreaterThanOrEqual(xnat.length);
      expect(report.files.map((file) => file.path)).toEqual(
        report.files.map((file) => file.path).sort(),
      );
    }
  });

  it("exits with the report's exit code", () => {
    for (const { code, report } of Object.values(reports)) {
      expect(code).toBe(report.summary.exitCode);
      const unreadable = report.files.some((f) =>
        f.commands.some((c) => c.status === "unreadable"),
      );
      const rejected = report.files.some((f) => f.commands.some((c) => c.status === "rejected"));
      expect(code).toBe(unreadable ? 2 : rejected ? 1 : 0);
    }
  });

  it("prints the same through the built bin", () => {
    expect(existsSync(BIN), `${BIN} is missing: build first (npx tsup)`).toBe(true);
    const json = spawnSync(process.execPath, [BIN, "validate", "fixtures", "--json"], {
      cwd: CONFORMANCE,
      encoding: "utf8",
    });
    expect(json.status).toBe(reports.rest.code);
    expect(JSON.parse(json.stdout)).toEqual(reports.rest.report);
    const human = spawnSync(process.execPath, [BIN, "validate", "fixtures"], {
      cwd: CONFORMANCE,
      encoding: "utf8",
    });
    expect(human.status).toBe(reports.rest.code);
    expect(human.stdout).toBe(formatReport(reports.rest.report));
    expect(human.stdout.trimEnd().split("\n").at(-1)).toMatch(
      /^\d+ files \(\d+ skipped\), \d+ commands: \d+ accepted, \d+ rejected by XNAT, \d+ unreadable; \d+ errors?, \d+ warnings?/,
    );
  });
});
