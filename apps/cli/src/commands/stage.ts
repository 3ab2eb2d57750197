// radifox stage / radifox-stage: choose, fix and link the images of subjects for processing,
// with provenance records, QA pictures and logs (@radifox/stage). `radifox-stage` takes the
// original's options verbatim and exits 2 on usage errors, as it did; `radifox stage` also
// takes several subjects or a whole project and prints a summary table.
import { readdir, stat } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { FilterSyntaxError } from "@radifox/naming";
import { ProvenanceError } from "@radifox/provenance";
import {
  formatPlan,
  parseStageArgs,
  planStaging,
  type StageCommand,
  StageError,
  type StagePlan,
  type StageResult,
  stageSubject,
  stageUsage,
} from "@radifox/stage";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";
import { version } from "../main.js";
import { progressLine } from "../progress.js";
import { cwdOf } from "./prov-common.js";

const OPTIONS_HELP = `  -s, --subject-dir <dir>       a subject folder (its session folders are staged)
      --image-types <filter>... one filter per kind of image to stage, in order
      --reg-filters <filter>... registration target filters (each must set acqdim)
      --keep-best-res           keep one image per filter: the most isotropic 3D image, else
                                the one with the smallest slice spacing (not simply the
                                highest resolution, whatever the original's README says)
      --update                  skip sessions that already have stage/ (reuse their target)
      --plugin-paths <file>...  ES modules (.js/.mjs) exporting staging plugins
      --skip-default-plugins    no MEMPRAGE echo sum, no MP2RAGE uniform image
      --skip-set-sform          stage the originals without the qform/sform fix
      --group-by series|study   how MEMPRAGE echoes are grouped (default series; study is the
                                original's grouping, which mixes series of one study)
  -j, --jobs <n>                sessions staged at once (default 1)
      --plan                    print what would be staged and why; write nothing
      --json                    machine-readable plan or results on stdout
      --require-container       refuse to run outside a container (as the original)
      --record-format <f>       extended (default) or radifox (the original's records exactly)
  -h, --help                    show this help`;

export const STAGE_HELP = `Usage: radifox stage [<subject-dir>...] [--project-dir <dir>] --image-types <filter>...
                     [options]

Stage subjects: for every session without stage/, pick the images matching each filter (after
the MEMPRAGE/MP2RAGE plugins), optionally only the best one, copy them into stage/ with
qform = sform (_hdrfix), link registration targets, and record provenance (one record per
session, a .prov per staged file), QA pictures (qa/staging/) and logs (logs/). A session is
staged completely or not at all.

Subjects: folders given before the options, -s/--subject-dir (repeatable), or every subject of
--project-dir <dir>.

Options:
      --project-dir <dir>       stage every subject folder of a project
${OPTIONS_HELP}

Exit codes: 0 ok, 1 failed, 64 bad arguments, 65 bad data (no images, unreadable image or
sidecar), 66 missing folder, 70 a plugin failed, 73 already staged (use --update),
74 writing failed (disk full), 75 the subject is being staged by another run.`;

export const RADIFOX_STAGE_HELP = `${stageUsage()}

Stage one subject's sessions for processing (see radifox stage --help for the details).

Options:
${OPTIONS_HELP}

Exit codes: 0 ok, 2 bad arguments (as the original), 1 failed, 65 bad data, 70 a plugin failed,
74 writing failed, 75 the subject is being staged by another run.`;

type Mode = "radifox" | "radifox-stage";

/** The exit code of a failure: sysexits per error class (argparse's 2 for radifox-stage). */
export function stageExitCode(error: unknown, mode: Mode): number {
  const usage = mode === "radifox-stage" ? 2 : EXIT.usage;
  if (error instanceof FilterSyntaxError) return usage;
  if (error instanceof StageError) {
    const argparse = mode === "radifox-stage" ? 2 : undefined;
    switch (error.code) {
      case "E_STAGE_USAGE":
        return usage;
      case "E_STAGE_NO_SUBJECT":
        return argparse ?? EXIT.noInput;
      case "E_STAGE_NO_IMAGES":
        return argparse ?? EXIT.dataError;
      case "E_STAGE_ALREADY_STAGED":
        return argparse ?? EXIT.cantCreate;
      case "E_STAGE_SIDECAR":
      case "E_STAGE_IMAGE":
        return EXIT.dataError;
      case "E_STAGE_PLUGIN":
        return EXIT.software;
      case "E_STAGE_WRITE":
        return EXIT.ioError;
      case "E_STAGE_LOCKED":
        return EXIT.tempFail;
      default:
        return EXIT.failure;
    }
  }
  if (error instanceof ProvenanceError && error.code === "E_PROV_WRITE") return EXIT.ioError;
  return EXIT.failure;
}

function failureText(error: unknown): string {
  if (error instanceof FilterSyntaxError) return `bad filter: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Splits `radifox stage` arguments into subject folders and `radifox-stage` options. */
function splitSubjects(args: string[]): { subjects: string[]; project?: string; rest: string[] } {
  const subjects: string[] = [];
  let project: string | undefined;
  const rest: string[] = [];
  let i = 0;
  while (i < args.length && !(args[i] as string).startsWith("-"))
    subjects.push(args[i++] as string);
  for (; i < args.length; i++) {
    const arg = args[i] as string;
    const value = (name: string) => {
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
      const next = args[i + 1];
      if (next === undefined || next.startsWith("-")) {
        throw new CliError(EXIT.usage, `${name} needs a folder`);
      }
      i++;
      return next;
    };
    if (arg === "-s" || arg === "--subject-dir" || arg.startsWith("--subject-dir=")) {
      subjects.push(value(arg.startsWith("-s") ? "-s" : "--subject-dir"));
    } else if (arg === "--project-dir" || arg.startsWith("--project-dir=")) {
      project = value("--project-dir");
    } else rest.push(arg);
  }
  return { subjects, project, rest };
}

/** The subject folders of a project: folders holding at least one session with `nii/`. */
export async function projectSubjects(project: string): Promise<string[]> {
  const names = await readdir(project).catch(() => {
    throw new CliError(EXIT.noInput, `project folder ${project} does not exist`);
  });
  const subjects: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith(".")) continue;
    const dir = join(project, name);
    if (!(await stat(dir)).isDirectory()) continue;
    const sessions = await readdir(dir).catch(() => [] as string[]);
    const hasNii = await Promise.all(
      sessions.map((session) =>
        stat(join(dir, session, "nii")).then(
          (info) => info.isDirectory(),
          () => false,
        ),
      ),
    );
    if (hasNii.some(Boolean)) subjects.push(dir);
  }
  return subjects;
}

interface SubjectOutcome {
  subject: string;
  result?: StageResult;
  plan?: StagePlan;
  error?: unknown;
}

function summaryTable(outcomes: SubjectOutcome[], cwd: string): string {
  const rows = [["subject", "staged", "no match", "skipped", "files", "subject target", "status"]];
  for (const { subject, result, error } of outcomes) {
    const sessions = result?.sessions ?? [];
    const count = (status: string) => sessions.filter((s) => s.status === status).length;
    rows.push([
      relative(cwd, subject) || ".",
      result ? String(count("staged")) : "-",
      result ? String(count("no-match")) : "-",
      result ? String(count("already-staged")) : "-",
      result ? String(sessions.reduce((n, s) => n + s.staged.length, 0)) : "-",
      result?.subjectTarget ? relative(subject, result.subjectTarget) : "-",
      error ? `failed: ${failureText(error)}` : "ok",
    ]);
  }
  const widths = (rows[0] as string[]).map((_, c) =>
    Math.max(...rows.map((r) => (r[c] ?? "").length)),
  );
  return `${rows
    .map((row) =>
      row
        .map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c] as number)))
        .join("  "),
    )
    .join("\n")}\n`;
}

function progressBar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

/** Runs `radifox stage` (mode "radifox") or the `radifox-stage` command (mode "radifox-stage"). */
export async function stage(args: string[], io: CliIO, mode: Mode = "radifox"): Promise<number> {
  const cwd = cwdOf(io);
  const program = mode === "radifox" ? "radifox stage" : "radifox-stage";
  let subjects: string[];
  let command: StageCommand;
  try {
    const split =
      mode === "radifox" ? splitSubjects(args) : { subjects: [], project: undefined, rest: args };
    if (mode === "radifox") {
      subjects = split.subjects.map((subject) => resolve(cwd, subject));
      if (split.project) subjects.push(...(await projectSubjects(resolve(cwd, split.project))));
      const help = split.rest.includes("-h") || split.rest.includes("--help");
      if (subjects.length === 0 && !help) {
        throw new CliError(EXIT.usage, "radifox stage needs a subject folder or --project-dir");
      }
      command = parseStageArgs(["-s", subjects[0] ?? cwd, ...split.rest], {
        cwd,
        dialect: "extended",
      });
    } else {
      command = parseStageArgs(args, { cwd, dialect: "radifox" });
      subjects = [command.options.subjectDir];
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (
      mode === "radifox-stage" &&
      (error instanceof StageError || error instanceof FilterSyntaxError)
    ) {
      io.stderr.write(`${stageUsage()}\nradifox-stage: error: ${failureText(error)}\n`);
      return 2;
    }
    io.stderr.write(`${program}: ${failureText(error)}\n`);
    return stageExitCode(error, mode);
  }
  if (command.help) {
    io.stdout.write(`${mode === "radifox" ? STAGE_HELP : RADIFOX_STAGE_HELP}\n`);
    return EXIT.ok;
  }

  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const outcomes: SubjectOutcome[] = [];
  try {
    for (const subject of subjects) {
      const options = { ...command.options, subjectDir: subject };
      const name = basename(subject);
      const progress = progressLine(io);
      try {
        if (command.plan) {
          outcomes.push({ subject, plan: await planStaging(options) });
          continue;
        }
        const result = await stageSubject(options, {
          jobs: command.jobs,
          command: mode === "radifox" ? ["stage", ...args] : args,
          recordFormat: command.recordFormat,
          container: { require: command.requireContainer },
          signal: controller.signal,
          onWarning: (message) => io.stderr.write(`${program}: warning: ${message}\n`),
          onLog:
            mode === "radifox-stage"
              ? (line) => io.stdout.write(line)
              : (line) => {
                  if (!command.json && /\[(WARNING|ERROR|CRITICAL)\]/.test(line)) {
                    progress.done();
                    io.stderr.write(line);
                  }
                },
          onProgress: (p) =>
            progress.update(
              `${name} ${progressBar(p.sessionsDone, p.sessionsTotal)} ${p.sessionsDone}/${p.sessionsTotal} sessions, ${p.imagesDone} images`,
            ),
        });
        outcomes.push({ subject, result });
      } catch (error) {
        if (error instanceof CliError) throw error;
        outcomes.push({ subject, error });
        if (controller.signal.aborted) break;
      } finally {
        progress.done();
      }
    }
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }

  const failed = outcomes.filter((outcome) => outcome.error !== undefined);
  if (command.json) {
    io.stdout.write(
      `${JSON.stringify(
        outcomes.map(({ subject, result, plan, error }) =>
          error
            ? { subject, error: { message: failureText(error), code: (error as StageError).code } }
            : (plan ?? result),
        ),
        null,
        2,
      )}\n`,
    );
  } else if (command.plan) {
    for (const outcome of outcomes) {
      if (outcome.plan) io.stdout.write(formatPlan(outcome.plan));
    }
  } else if (mode === "radifox") {
    io.stdout.write(summaryTable(outcomes, cwd));
  }
  for (const { subject, error } of failed) {
    io.stderr.write(`${program}: ${basename(subject)}: ${failureText(error)}\n`);
  }
  if (controller.signal.aborted) return 130;
  return failed.length > 0 ? (stageExitCode(failed[0]?.error, mode) as ExitCode) : EXIT.ok;
}

/** The `radifox-stage` program (the original's command line). */
export async function radifoxStage(args: string[], io: CliIO): Promise<number> {
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  return stage(args, io, "radifox-stage");
}
