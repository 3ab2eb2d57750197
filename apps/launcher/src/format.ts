// The human-readable form of a validation report: a verdict line per file, then one
// `path:line:col: severity code: message` line per finding (as compilers print them, so editors
// and terminals can jump to the place), each with its hint, and a summary line.
import type {
  CommandReport,
  FileReport,
  FindingReport,
  ReadErrorReport,
  ValidationReport,
  ValidationSummary,
} from "./validate.js";

const plural = (count: number, word: string, words = `${word}s`) =>
  `${count} ${count === 1 ? word : words}`;

function tally(findings: readonly FindingReport[]): string {
  const count = (test: (finding: FindingReport) => boolean) => findings.filter(test).length;
  const parts = [
    plural(
      count((f) => f.severity === "error" && f.source !== "lint"),
      "error",
    ),
    plural(
      count((f) => f.severity === "error" && f.source === "lint"),
      "lint error",
    ),
    plural(
      count((f) => f.severity === "warning"),
      "warning",
    ),
    plural(
      count((f) => f.severity === "info"),
      "note",
    ),
  ];
  return parts.filter((part) => !part.startsWith("0 ")).join(", ");
}

function verdict(command: CommandReport): string {
  if (command.readError) {
    if (command.readError.kind === "io") return "cannot be read";
    if (command.status === "unreadable") return "unreadable (not JSON as XNAT reads it)";
    return "rejected by XNAT (cannot be read as a command)";
  }
  const counts = tally(command.findings);
  if (command.accepted) return counts === "" ? "accepted" : `accepted (${counts})`;
  return `rejected by XNAT (${counts})`;
}

function where(path: string, line: number | null, column: number | null): string {
  return line === null ? path : `${path}:${line}:${column}`;
}

/** Continuation lines of a multi-line message, indented under the first. */
function indentLines(text: string, indent: string): string {
  return text.split("\n").join(`\n${indent}`);
}

function findingLines(path: string, finding: FindingReport): string[] {
  const lines = [
    `  ${where(path, finding.line, finding.column)}: ${finding.severity} ${finding.code}: ${indentLines(finding.message, "      ")}`,
  ];
  if (finding.hint !== "") lines.push(`      hint: ${finding.hint}`);
  return lines;
}

function readErrorLine(path: string, error: ReadErrorReport): string {
  const kind = error.kind === "io" && error.errno ? error.errno : error.kind;
  return `  ${where(path, error.line, error.column)}: error ${kind}: ${indentLines(error.message, "      ")}`;
}

function detailLines(path: string, command: CommandReport): string[] {
  const lines: string[] = [];
  if (command.readError) lines.push(readErrorLine(path, command.readError));
  for (const finding of command.findings) lines.push(...findingLines(path, finding));
  return lines;
}

const FORMS = {
  list: "list",
  label: "label value",
  "docker-inspect": "docker inspect output",
} as const;

/** The lines of one file: its verdict, then its findings (ends with a newline). */
export function formatFile(file: FileReport): string {
  const lines: string[] = [];
  const first = file.commands[0];
  if (file.skipped !== undefined) {
    lines.push(`${file.path}: skipped (${file.skipped})`);
  } else if (file.form === undefined || file.form === "command") {
    // One command, or an input that could not be read at all.
    lines.push(`${file.path}: ${first ? verdict(first) : "no commands"}`);
    if (first) lines.push(...detailLines(file.path, first));
  } else {
    const commands = file.commands;
    const counts = [
      ["accepted", "accepted"],
      ["rejected", "rejected by XNAT"],
      ["unreadable", "unreadable"],
    ]
      .map(([status, word]) => [commands.filter((c) => c.status === status).length, word] as const)
      .filter(([count]) => count > 0)
      .map(([count, word]) => `${count} ${word}`);
    const mode = first?.mode ?? "label";
    const head = `${file.path}: ${FORMS[file.form]}, ${plural(commands.length, "command")} (${mode} mode)`;
    lines.push(counts.length > 0 ? `${head}: ${counts.join(", ")}` : head);
    for (const command of commands) {
      const label = [
        command.index === undefined ? "" : `#${command.index}`,
        command.image ?? "",
        command.name ? JSON.stringify(command.name) : "",
      ]
        .filter((part) => part !== "")
        .join(" ");
      lines.push(`  ${label === "" ? "label" : label}: ${verdict(command)}`);
      lines.push(...detailLines(file.path, command).map((line) => `  ${line}`));
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The summary line: `N files, C commands: A accepted, R rejected by XNAT, U unreadable;
 * E errors, W warnings` (with notes when there are some, and the lint count when `lint`).
 */
export function formatSummary(summary: ValidationSummary, lint = false): string {
  const files =
    summary.skipped > 0
      ? `${plural(summary.files, "file")} (${summary.skipped} skipped)`
      : plural(summary.files, "file");
  const findings = [plural(summary.errors, "error"), plural(summary.warnings, "warning")];
  if (summary.infos > 0) findings.push(plural(summary.infos, "note"));
  const lintPart = lint ? ` (lint: ${plural(summary.lint, "finding")})` : "";
  return (
    `${files}, ${plural(summary.commands, "command")}: ${summary.accepted} accepted, ` +
    `${summary.rejected} rejected by XNAT, ${summary.unreadable} unreadable; ` +
    `${findings.join(", ")}${lintPart}\n`
  );
}

/** The whole report as `xcs validate` prints it. */
export function formatReport(report: ValidationReport): string {
  return report.files.map(formatFile).join("") + formatSummary(report.summary, report.lint);
}
