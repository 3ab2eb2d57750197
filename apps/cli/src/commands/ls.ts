// radifox ls <dir> [--filter F]... [--json]: the images of a study, optionally filtered.
import { relative, resolve } from "node:path";
import {
  FilterSyntaxError,
  type ImageFile,
  ImageFilter,
  NameError,
  NamingError,
  type ScanLevel,
  type ScanProblem,
  type SessionScan,
  StudyFileError,
  scanStudy,
} from "@radifox/naming";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";
import { progressLine } from "../progress.js";

export const LS_HELP = `Usage: radifox ls [options] <dir>

List the images of a RADIFOX project, subject or session folder.

Options:
  -f, --filter <filter>   keep images matching the filter (repeat: images matching any);
                          e.g. 'bodypart=BRAIN;modality=T1|T2;extras=[]'
      --radifox-filters   read filters exactly as the original radifox does
      --folders <list>    session folders to read, comma-separated (default: nii)
      --level <level>     what <dir> is: auto (default), root, project, subject, session
  -a, --all               include hidden files and folders
  -l, --long              one row per image: subject, session, image id, type, tags, path
      --info              read each image's JSON sidecar (adds the series description)
      --json              print one JSON document
      --strict            exit with 65 when any file has a problem
  -h, --help              show this help

Images are listed in path order. Problems (names that do not parse, unreadable folders,
broken sidecars) are listed on stderr at the end; the scan does not stop for them.`;

const LEVELS: ScanLevel[] = ["auto", "root", "project", "subject", "session"];

interface Row {
  image: ImageFile;
  seriesDescription?: string | null;
}

function nameFields(image: ImageFile) {
  const read = <T>(get: () => T): T | null => {
    try {
      return get();
    } catch (error) {
      if (error instanceof NameError) return null;
      throw error;
    }
  };
  return {
    subjectId: read(() => image.subjectId),
    sessionId: read(() => image.sessionId),
    imageId: read(() => image.imageId),
    studyNumber: read(() => image.studyNumber),
    seriesNumber: read(() => image.seriesNumber),
    bodypart: read(() => image.bodypart),
    modality: read(() => image.modality),
    technique: read(() => image.technique),
    acqdim: read(() => image.acqdim),
    orientation: read(() => image.orientation),
    excontrast: read(() => image.excontrast),
    extras: read(() => image.extras),
    tags: image.tags,
    ext: image.ext,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}

function parseFilters(texts: string[], dialect: "extended" | "radifox"): ImageFilter[] {
  return texts.map((text) => {
    try {
      return ImageFilter.fromString(text, { dialect });
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      const at = error.position >= 0 ? ` at column ${error.position + 1}` : "";
      throw new CliError(EXIT.usage, `bad filter '${text}'${at}: ${error.message}`);
    }
  });
}

export async function ls(args: string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    filter: { type: "string", short: "f", multiple: true },
    "radifox-filters": { type: "boolean" },
    folders: { type: "string" },
    level: { type: "string" },
    all: { type: "boolean", short: "a" },
    long: { type: "boolean", short: "l" },
    info: { type: "boolean" },
    json: { type: "boolean" },
    strict: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${LS_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new CliError(EXIT.usage, "radifox ls takes exactly one folder (see radifox ls --help)");
  }
  const root = resolve(io.cwd ?? process.cwd(), positionals[0] ?? ".");
  const filters = parseFilters(
    values.filter ?? [],
    values["radifox-filters"] ? "radifox" : "extended",
  );
  const folders = (values.folders ?? "nii")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  if (folders.length === 0)
    throw new CliError(EXIT.usage, "--folders needs at least one folder name");
  const level = values.level ?? "auto";
  if (!LEVELS.includes(level as ScanLevel)) {
    throw new CliError(EXIT.usage, `--level must be one of ${LEVELS.join(", ")}`);
  }

  const progress = progressLine(io);
  const rows: Row[] = [];
  // One entry per file and kind of problem (a name error found by the scan and again by a
  // filter is one problem; a name error and a broken sidecar are two).
  const problems = new Map<string, ScanProblem>();
  const addProblem = (p: ScanProblem) => {
    const kind = p.code.startsWith("E_NAME_") ? "name" : p.code;
    const key = `${kind}\u0000${p.path}`;
    if (!problems.has(key)) problems.set(key, p);
  };
  let sessions = 0;
  let scanned = 0;
  try {
    const scan = scanStudy(root, {
      folders,
      level: level as ScanLevel,
      includeHidden: values.all ?? false,
      onProgress: (p) => progress.update(`scanning: ${p.sessions} sessions, ${p.images} images`),
    });
    for await (const session of scan) {
      if (session.session !== "") sessions++;
      scanned += session.images.length;
      session.problems.forEach(addProblem);
      const selected = select(session, filters, addProblem);
      if (values.info) rows.push(...(await describeAll(selected, addProblem)));
      else rows.push(...selected.map((image) => ({ image })));
    }
  } catch (error) {
    if (error instanceof StudyFileError) throw new CliError(EXIT.noInput, error.message);
    throw error;
  } finally {
    progress.done();
  }

  const rel = (image: ImageFile) => relative(root, image.path) || ".";
  if (values.json) {
    const images = rows.map(({ image, seriesDescription }) => ({
      path: image.path,
      relativePath: rel(image),
      name: image.name,
      ...nameFields(image),
      ...(values.info ? { seriesDescription: seriesDescription ?? null } : {}),
    }));
    const document = {
      root,
      filters: filters.map(String),
      summary: { sessions, scanned, matched: rows.length, problems: problems.size },
      images,
      problems: [...problems.values()],
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    if (values.long && rows.length > 0) {
      const header = [
        "SUBJECT",
        "SESSION",
        "ID",
        "TYPE",
        "TAGS",
        ...(values.info ? ["SERIES"] : []),
        "PATH",
      ];
      const body = rows.map(({ image, seriesDescription }) => {
        const f = nameFields(image);
        const type = [
          f.bodypart,
          f.modality,
          f.technique,
          f.acqdim,
          f.orientation,
          f.excontrast,
          ...(f.extras ?? []),
        ];
        return [
          f.subjectId ?? "?",
          f.sessionId ?? "?",
          f.imageId ?? "?",
          type.map((t) => t ?? "?").join("-"),
          f.tags.join(",") || "-",
          ...(values.info ? [seriesDescription ?? "-"] : []),
          rel(image),
        ];
      });
      io.stdout.write(`${table([header, ...body])}\n`);
    } else {
      for (const { image } of rows) io.stdout.write(`${rel(image)}\n`);
    }
    const matched = filters.length > 0 ? `${rows.length} of ${scanned}` : `${rows.length}`;
    io.stderr.write(
      `${matched} ${plural(rows.length, "image")} in ${sessions} ${plural(sessions, "session")}\n`,
    );
    for (const p of problems.values())
      io.stderr.write(`problem: ${relative(root, p.path) || p.path}: ${p.message}\n`);
    if (problems.size > 0)
      io.stderr.write(`${problems.size} ${plural(problems.size, "problem")}\n`);
  }
  return values.strict && problems.size > 0 ? EXIT.dataError : EXIT.ok;
}

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

/** Images of a session matching any filter (all of them without filters). */
function select(
  session: SessionScan,
  filters: ImageFilter[],
  report: (p: ScanProblem) => void,
): ImageFile[] {
  if (filters.length === 0) return session.images;
  const kept = new Set<ImageFile>();
  for (const filter of filters) {
    const { matched, invalid } = filter.partition(session.images);
    for (const image of matched) kept.add(image);
    for (const { image, error } of invalid)
      report({ path: image.path, code: error.code, message: error.message });
  }
  return session.images.filter((image) => kept.has(image));
}

/** Images with their series descriptions, sidecars read a few at a time. */
async function describeAll(images: ImageFile[], report: (p: ScanProblem) => void): Promise<Row[]> {
  const rows: Row[] = [];
  for (let i = 0; i < images.length; i += 16) {
    const batch = images.slice(i, i + 16);
    const infos = await Promise.all(batch.map((image) => describe(image, report)));
    for (const [j, image] of batch.entries()) rows.push({ image, ...infos[j] });
  }
  return rows;
}

async function describe(
  image: ImageFile,
  report: (p: ScanProblem) => void,
): Promise<{ seriesDescription: string | null }> {
  try {
    const info = await image.readInfo();
    const value = info.has("SeriesDescription") ? info.get("SeriesDescription") : null;
    return { seriesDescription: value === null ? null : String(value) };
  } catch (error) {
    if (!(error instanceof NamingError)) throw error;
    report({ path: image.path, code: error.code, message: error.message });
    return { seriesDescription: null };
  }
}
