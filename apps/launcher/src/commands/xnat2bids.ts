// xcs xnat2bids <input> <output>: a BIDS dataset from an XNAT session folder (the xnat2bids
// setup-command contract, /input -> /output), a folder of sessions, or a RADIFOX study. The
// conversion is @xcs/xnat2bids's xnat2bids(); this file reads the arguments and prints the result.
import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import {
  xnat2bids as convert,
  type Finding,
  type InputKind,
  RadifoxMappingError,
  type RadifoxMappingOverrides,
  resolveRadifoxMapping,
  type Xnat2BidsOptions,
  type Xnat2BidsResult,
} from "@xcs/xnat2bids";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";

export const XNAT2BIDS_HELP = `Usage: xcs xnat2bids [options] <input> <output>

Make a BIDS dataset in <output> from <input>: an XNAT session folder (scans with a BIDS sidecar
in SCANS/<scan>/BIDS and the images in SCANS/<scan>/NIFTI, as XNAT mounts a session at /input
for the xnat2bids setup command), a folder of sessions (a project's arc001), or a RADIFOX study.
Names come from the BIDS sidecars (or the RADIFOX names), never from XNAT's folder names. Data
images are hard-linked by default (sidecars and gradient tables are copied). Conflicts stop the
run before anything is written; a re-run changes only what changed, keeps edits made in the
output, and reports files no input maps to any more. Runs into one output take turns. The
result is checked against the BIDS rules.

Options:
      --link <mode>     how images reach the dataset: hard (default; copies where hard links
                        are impossible), sym or copy (sidecars and gradient tables are copies)
  -n, --dry-run         print the mapping table (every output file with its source and the
                        reason for its name) and every input left out; write nothing
      --json            print the result as one JSON document
      --mapping <file>  changes to the RADIFOX -> BIDS mapping table (JSON; RADIFOX input only)
      --name <name>     Name of a dataset_description.json made here (default: the XNAT
                        project for <project>/arc001/<session>, else the input folder's name)
      --overwrite       replace files in the output that differ from what the input makes,
                        even when they were edited there or come from elsewhere
      --no-recommended  do not add participants.tsv, participants.json and README
      --no-check        do not check the result against the BIDS rules
      --input <kind>    xnat-session, xnat-sessions or radifox (default: detected)
  -q, --quiet           no progress counter on stderr
  -h, --help            show this help

Exit codes: 0 the dataset was written (with --dry-run: would be), 1 nothing usable, a conflict
(two inputs for one file, a subject with and without sessions, a file in the output that
differs and was kept), the output inside the input or not a dataset, another run holding the
output too long, or a failed write, 2 bad arguments, an input that is not a folder, or a
mapping file that cannot be read or used.`;

const LINK_MODES = ["hard", "sym", "copy"] as const;
const INPUT_KINDS: readonly InputKind[] = ["xnat-session", "xnat-sessions", "radifox"];

const usage = (message: string) => new CliError(EXIT.usage, `${message}; see xcs xnat2bids --help`);

export async function xnat2bids(args: string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    link: { type: "string" },
    "dry-run": { type: "boolean", short: "n" },
    json: { type: "boolean" },
    mapping: { type: "string" },
    name: { type: "string" },
    "no-recommended": { type: "boolean" },
    "no-check": { type: "boolean" },
    overwrite: { type: "boolean" },
    input: { type: "string" },
    quiet: { type: "boolean", short: "q" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${XNAT2BIDS_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length < 2) {
    throw usage(positionals.length === 0 ? "no input and output given" : "no output given");
  }
  if (positionals.length > 2) throw usage(`unexpected argument '${positionals[2]}'`);
  const link = values.link ?? "hard";
  if (!(LINK_MODES as readonly string[]).includes(link)) {
    throw usage(`unknown link mode '${link}': use hard, sym or copy`);
  }
  const kind = values.input;
  if (kind !== undefined && !(INPUT_KINDS as readonly string[]).includes(kind)) {
    throw usage(`unknown input kind '${kind}': use ${INPUT_KINDS.join(", ")}`);
  }
  if (values.name !== undefined && values.name.trim() === "") throw usage("--name is empty");

  const cwd = io.cwd ?? process.cwd();
  const [input, output] = positionals.map((path) => resolvePath(cwd, path)) as [string, string];
  const mapping =
    values.mapping === undefined ? undefined : readMapping(resolvePath(cwd, values.mapping));
  const json = values.json === true;
  const progress = !json && values.quiet !== true && io.stderr.isTTY === true;

  const options: Xnat2BidsOptions = {
    link: link as (typeof LINK_MODES)[number],
    dryRun: values["dry-run"] === true,
    ...(kind === undefined ? {} : { input: kind as InputKind }),
    ...(mapping === undefined ? {} : { mapping }),
    ...(values.name === undefined ? {} : { name: values.name }),
    recommended: values["no-recommended"] !== true,
    check: values["no-check"] !== true,
    overwrite: values.overwrite === true,
    ...(progress ? { onProgress: progressCounter(io) } : {}),
  };
  let result: Xnat2BidsResult;
  try {
    result = await convert(input, output, options);
  } catch (error) {
    if (error instanceof RadifoxMappingError) throw badMapping(values.mapping ?? "", error);
    throw error;
  } finally {
    if (progress) io.stderr.write("\r\x1b[K");
  }
  const notFolder = result.findings.find((f) => f.code === "INPUT_NOT_FOLDER");
  if (notFolder !== undefined) {
    throw new CliError(EXIT.usage, `${notFolder.path ?? input}: ${notFolder.message}`);
  }
  if (mapping !== undefined && result.input !== undefined && result.input !== "radifox") {
    io.stderr.write(`xcs: --mapping is for RADIFOX input; ignored for ${result.input} input\n`);
  }
  io.stdout.write(
    json ? `${JSON.stringify(result, null, 2)}\n` : formatXnat2Bids(result, output, options.check),
  );
  return result.exitCode;
}

/** The user's mapping table: JSON, an object, and usable (checked before any image is read). */
function readMapping(path: string): RadifoxMappingOverrides {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(
      EXIT.unreadable,
      `cannot read mapping file ${path}: ${(error as Error).message}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      EXIT.unreadable,
      `mapping file ${path} is not JSON: ${(error as Error).message}`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new CliError(
      EXIT.unreadable,
      `mapping file ${path} must hold a JSON object (modalities, excontrast, acquisition, extras)`,
    );
  }
  const overrides = value as RadifoxMappingOverrides;
  try {
    resolveRadifoxMapping(overrides);
  } catch (error) {
    if (error instanceof RadifoxMappingError) throw badMapping(path, error);
    throw error;
  }
  return overrides;
}

const badMapping = (path: string, error: RadifoxMappingError) =>
  new CliError(EXIT.usage, `mapping file ${path}: ${error.message}`, { cause: error });

/** `\r`-rewritten `xnat2bids: done/total files` on a terminal, at most once per percent. */
function progressCounter(io: CliIO): (done: number, total: number) => void {
  let shown = -1;
  return (done, total) => {
    const step = total === 0 ? 100 : Math.floor((done * 100) / total);
    if (step === shown && done !== total) return;
    shown = step;
    io.stderr.write(`\rxnat2bids: ${done}/${total} files`);
  };
}

const plural = (count: number, word: string, words = `${word}s`) =>
  `${count} ${count === 1 ? word : words}`;

/** How files were made, in the order printed: `write` is content xnat2bids wrote itself. */
const METHODS: readonly (readonly [string, string, string])[] = [
  ["hard", "hard link", "hard links"],
  ["sym", "symbolic link", "symbolic links"],
  ["copy", "copy", "copies"],
  ["write", "generated", "generated"],
];

/**
 * `N files: C created, U updated, K unchanged (how they were made)`: every file of the dataset,
 * counting the ones found in the output and left as they were (`keep` rows) as unchanged.
 */
function outcomeLine(result: Xnat2BidsResult): string {
  const count = (action: string) => result.actions.filter((a) => a.action === action).length;
  const keptRows = result.rows.filter((row) => row.operation === "keep").length;
  const outcomes = [
    `${count("created")} created`,
    `${count("updated")} updated`,
    `${count("unchanged") + keptRows} unchanged`,
  ];
  if (count("kept") > 0) outcomes.push(`${count("kept")} kept`);
  if (count("failed") > 0) outcomes.push(`${count("failed")} failed`);
  const placed = result.actions.filter((a) => a.action !== "failed" && a.action !== "kept");
  const how = METHODS.map(([method, one, many]) => {
    const n = placed.filter((a) => a.method === method).length;
    return n === 0 ? "" : `${n} ${n === 1 ? one : many}`;
  });
  if (keptRows > 0) how.push(`${keptRows} kept as found`);
  const made = how.filter((part) => part !== "");
  const total = result.actions.length + keptRows;
  return `${plural(total, "file")}: ${outcomes.join(", ")}${made.length > 0 ? ` (${made.join(", ")})` : ""}`;
}

/** Continuation lines of a multi-line message, indented under the first. */
const indentLines = (text: string, indent: string) => text.split("\n").join(`\n${indent}`);

function findingLine(finding: Finding): string {
  const where = finding.path === undefined ? "" : ` ${finding.path}`;
  return `${finding.severity} ${finding.code}${where}: ${indentLines(finding.message, "    ")}`;
}

const SEVERITIES = ["error", "warning", "info"] as const;

/**
 * The text of `xcs xnat2bids`: the outcome counts (or, with --dry-run, the mapping table), the
 * inputs left out with their reasons, the findings by severity, and where the dataset is.
 */
export function formatXnat2Bids(result: Xnat2BidsResult, output: string, checked = true): string {
  const lines: string[] = [];
  if (result.dryRun) {
    const width = Math.max(0, ...result.rows.map((row) => row.operation.length));
    for (const row of result.rows) {
      const source = row.source ?? (row.operation === "keep" ? "(existing)" : "(written)");
      lines.push(
        `${row.operation.padEnd(width)}  ${source}  ->  ${row.target}  (${indentLines(row.why, "    ")})`,
      );
    }
  } else if (result.actions.length > 0) {
    lines.push(outcomeLine(result));
  }
  for (const skipped of result.skipped) {
    lines.push(`skipped  ${skipped.source}: ${indentLines(skipped.reason, "    ")}`);
  }
  for (const severity of SEVERITIES) {
    for (const finding of result.findings) {
      if (finding.severity === severity) lines.push(findingLine(finding));
    }
  }
  lines.push(verdict(result, output, checked));
  return `${lines.join("\n")}\n`;
}

function verdict(result: Xnat2BidsResult, output: string, checked: boolean): string {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const warnings = result.findings.filter((f) => f.severity === "warning").length;
  const problems =
    errors + warnings === 0
      ? "no errors"
      : [plural(errors, "error"), plural(warnings, "warning")]
          .filter((part) => !part.startsWith("0 "))
          .join(", ");
  const subjects = plural(result.subjects.length, "subject");
  if (result.dryRun) {
    return result.exitCode === 0
      ? `dry run: ${plural(result.rows.length, "file")} (${subjects}) would be in the BIDS dataset ${output}; nothing was written`
      : `dry run: no dataset would be made in ${output} (${problems}); nothing was written`;
  }
  if (result.exitCode !== 0) {
    const failed = result.actions.filter((a) => a.action === "failed").length;
    const differ = result.findings.filter((f) => f.code === "EXISTING_DIFFERS").length;
    if (failed > 0) {
      return `the BIDS dataset in ${output} is incomplete: ${plural(failed, "file")} could not be written`;
    }
    return differ > 0
      ? `the BIDS dataset in ${output} is up to date but for ${plural(differ, "file")} that differ${differ === 1 ? "s" : ""} from the input and ${differ === 1 ? "was" : "were"} kept (EXISTING_DIFFERS; --overwrite replaces them)`
      : `no BIDS dataset written to ${output} (${problems})`;
  }
  const head = `BIDS dataset in ${output} (${subjects})`;
  if (!checked) return `${head}: not checked (--no-check)`;
  const also = warnings === 0 ? "" : ` (${plural(warnings, "warning")})`;
  return `${head}: the BIDS check found ${errors === 0 ? "no errors" : plural(errors, "error")}${also}`;
}
