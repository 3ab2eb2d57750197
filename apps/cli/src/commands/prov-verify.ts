// radifox prov verify <session...> [--json]: check sessions' files against their records.
import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { type VerifyFinding, type VerifyReport, verifySession } from "@radifox/provenance";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";
import { progressLine } from "../progress.js";
import { cwdOf, plural, reading, shown } from "./prov-common.js";

export const PROV_VERIFY_HELP = `Usage: radifox prov verify [--json] <session>...

Check each session folder against its provenance records (its _Provenance.yml and .prov files):
every file a current record lists is hashed (sha256) and compared. Nothing is written.

Findings (severity):
  modified     (error) an output changed after its record; (warning) an input changed since a
               module used it, so that module's outputs are stale
  missing      (error) a recorded output is gone; (warning) a recorded input is gone
  unreadable   (error) a recorded file cannot be read
  unrecorded   (warning) a file in proc/ or stage/ that no record lists as an output
  bad-record   (error) a record document that cannot be read
  id-mismatch  (error) a record whose Id does not match its text (edited or damaged)
  failed-run   (info) a run that failed

Options:
      --json   print one JSON document
  -h, --help   show this help

Exit codes: 0 no errors or warnings, 65 errors or warnings found, 66 no such session folder.`;

interface Counts {
  error: number;
  warning: number;
  info: number;
}

function count(findings: readonly VerifyFinding[]): Counts {
  const counts: Counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

function countsText(counts: Counts): string {
  return `${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}, ${counts.info} info`;
}

function findingLine(finding: VerifyFinding, session: string): string {
  const where = `${shown(finding.path, session)}${finding.line ? `:${finding.line}` : ""}`;
  return `  ${finding.severity.padEnd(7)}  ${finding.kind.padEnd(11)}  ${where}: ${finding.message}`;
}

export async function provVerify(args: string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${PROV_VERIFY_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) {
    throw new CliError(EXIT.usage, "radifox prov verify needs at least one session folder");
  }
  const cwd = cwdOf(io);
  const sessions = positionals.map((path) => resolve(cwd, path));
  for (const session of sessions) {
    const info = await stat(session).catch(() => undefined);
    if (!info?.isDirectory()) throw new CliError(EXIT.noInput, `${session} is not a folder`);
  }

  const reports: VerifyReport[] = [];
  const progress = progressLine(io);
  try {
    for (const session of sessions) {
      const name = basename(session);
      const report = await reading(() =>
        verifySession(session, {
          onProgress: (p) => progress.update(`verifying ${name}: ${p.hashed}/${p.total} files`),
        }),
      );
      reports.push(report);
      if (!values.json) {
        progress.done();
        const counts = count(report.findings);
        io.stdout.write(
          `${shown(session, cwd)}: ${plural(report.records, "record")}, ` +
            `${plural(report.checkedFiles, "file")} checked, ${countsText(counts)}\n`,
        );
        for (const finding of report.findings) {
          io.stdout.write(`${findingLine(finding, session)}\n`);
        }
      }
    }
  } finally {
    progress.done();
  }

  const all = reports.flatMap((report) => report.findings);
  const total = count(all);
  if (values.json) {
    const document = {
      sessions: reports,
      summary: {
        sessions: reports.length,
        records: reports.reduce((n, r) => n + r.records, 0),
        checkedFiles: reports.reduce((n, r) => n + r.checkedFiles, 0),
        errors: total.error,
        warnings: total.warning,
        info: total.info,
      },
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else if (reports.length > 1) {
    io.stdout.write(`${plural(reports.length, "session")}: ${countsText(total)}\n`);
  }
  return total.error + total.warning > 0 ? EXIT.dataError : EXIT.ok;
}
