// One call from text to findings: read the document as XNAT would (reader warnings), XNAT's own
// validation, and on request the stricter checks.
import type { Finding } from "./findings.js";
import { lintCommand } from "./lint.js";
import type { Command } from "./model.js";
import {
  CommandReadError,
  type ReadOptions,
  type ReadResult,
  type ReadWarning,
  readCommand,
} from "./read-command.js";
import { xcsValidate } from "./xcs-validate.js";

export interface ValidateOptions {
  /** Also run the stricter checks (`lint-*` findings). */
  readonly lint?: boolean;
}

/** XNAT's validation messages (as findings, in XNAT's order), then the lint findings. */
export function validateCommand(command: Command, options: ValidateOptions = {}): Finding[] {
  return options.lint ? [...xcsValidate(command), ...lintCommand(command)] : xcsValidate(command);
}

/** What XNAT silently ignores while reading, as findings. */
export function readWarningFindings(warnings: readonly ReadWarning[]): Finding[] {
  const hints: Record<ReadWarning["code"], string> = {
    "unknown-key":
      "Check the key's spelling against the command format; XNAT ignores unknown keys.",
    "ignored-key": "Use the key this way of installing reads.",
    "duplicate-key": "Keep one of them.",
    "trailing-content": "Remove what follows the command.",
  };
  return warnings.map((warning) => ({
    code: `read-${warning.code}`,
    severity: "warning",
    source: "read",
    message: warning.message,
    pointer: warning.pointer,
    hint: hints[warning.code],
  }));
}

export type CheckResult =
  | {
      readonly ok: true;
      readonly read: ReadResult;
      /** Reader warnings, XNAT's messages, then lint findings. */
      readonly findings: Finding[];
      /** True when XNAT would accept the command (no error-level finding from XNAT's checks). */
      readonly accepted: boolean;
    }
  | {
      readonly ok: false;
      readonly error: CommandReadError;
      readonly findings: Finding[];
      readonly accepted: false;
    };

/** Reads and validates a command document. */
export function checkCommand(
  text: string,
  options: ReadOptions & ValidateOptions = {},
): CheckResult {
  let read: ReadResult;
  try {
    read = readCommand(text, options);
  } catch (error) {
    if (!(error instanceof CommandReadError)) throw error;
    return { ok: false, error, findings: [], accepted: false };
  }
  const validation = validateCommand(read.command, options);
  return {
    ok: true,
    read,
    findings: [...readWarningFindings(read.warnings), ...validation],
    accepted: !validation.some(
      (finding) => finding.source === "xcs" && finding.severity === "error",
    ),
  };
}
