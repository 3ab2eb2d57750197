// The plan of a RADIFOX study: every image of every `<SUBJECT>/<SESSION>/nii/` named by the
// mapping table, its `.bval`/`.bvec` beside it, its sidecar converted. Images the table cannot
// name are skipped with the reason; nothing is written here.
import { basename, dirname } from "node:path";
import { NameError, parseName, readSeriesInfoSync, SidecarError } from "@radifox/naming";
import { openRadifoxArchive, type XnatFile, type XnatScan, type XnatSession } from "@xcs/archive";
import { type BidsName, entityValue, formatBidsName, parseBidsName } from "../bids/names.js";
import { datatypeFolder, type Placement, placeBidsName } from "../bids/rules.js";
import { dataFile } from "../folders.js";
import type { ConversionPlan, Finding, PlannedFile, SkippedInput } from "../plan.js";
import { mapRadifoxImage } from "./image.js";
import { sessionLabel, subjectLabel } from "./labels.js";
import {
  type RadifoxMapping,
  type RadifoxMappingOverrides,
  resolveRadifoxMapping,
} from "./mapping.js";
import { assignRuns, type Candidate } from "./runs.js";
import { formatBidsSidecar, radifoxSidecarToBids } from "./sidecar.js";

/** Options of {@link planRadifoxStudy}. */
export interface PlanRadifoxOptions {
  /** A partial mapping table merged over the defaults (see `resolveRadifoxMapping`). */
  readonly mapping?: RadifoxMappingOverrides;
  /** The project id (the subject folders' prefix); default the study folder's name. */
  readonly project?: string;
}

const INCLUDE = new Set(["Scan", "Resource", "File"] as const);
const IMAGE_EXTENSIONS = [".nii.gz", ".nii"];
const EMPTY = "no BIDS label is left once all but letters and digits (and the project) are dropped";

/** The extension as RADIFOX reads it: from the first dot. */
const extensionOf = (name: string) => {
  const dot = name.indexOf(".");
  return dot < 0 ? "" : name.slice(dot);
};

function resourceFiles(scan: XnatScan, label: string): XnatFile[] {
  return scan.resources.find((r) => r.label === label)?.files ?? [];
}

/** First folder of each label; later ones are reported and left out. */
class Labels {
  readonly #seen = new Map<string, string>();

  /** The folder that already has `key`, if another one does. */
  claim(key: string, folder: string): string | undefined {
    const first = this.#seen.get(key);
    if (first === undefined) this.#seen.set(key, folder);
    return first !== undefined && first !== folder ? first : undefined;
  }
}

class Planner {
  readonly files: PlannedFile[] = [];
  readonly skipped: SkippedInput[] = [];
  readonly findings: Finding[] = [];
  /** Images met, converted or skipped. */
  found = 0;
  readonly #mapping: RadifoxMapping;
  readonly #projectId: string;
  readonly #subjects = new Labels();
  readonly #sessions = new Labels();

  constructor(mapping: RadifoxMapping, projectId: string) {
    this.#mapping = mapping;
    this.#projectId = projectId;
  }

  session(session: XnatSession): void {
    const images = session.scans.map((scan) => ({ scan, image: imageFile(scan) }));
    this.found += images.filter(({ image }) => image !== undefined).length;
    const refuse = (reason: string) => {
      for (const { image } of images) if (image) this.skip(image.path as string, reason);
    };
    const labels = this.#labels(session);
    if (typeof labels === "string") {
      refuse(labels);
      return;
    }
    const candidates: Candidate[] = [];
    for (const { scan, image } of images) {
      if (!image) continue;
      const candidate = this.#candidate(scan, image, labels);
      if (candidate) candidates.push(candidate);
    }
    for (const candidate of assignRuns(candidates)) this.#plan(candidate, labels);
  }

  skip(source: string, reason: string): void {
    this.skipped.push({ source, reason });
  }

  /** The labels of a session, or why its images cannot be converted. */
  #labels(session: XnatSession): { sub: string; ses: string } | string {
    const sessionDir = session.directory as string;
    const subjectDir = dirname(sessionDir);
    const sub = subjectLabel(basename(subjectDir), this.#projectId);
    const ses = sessionLabel(basename(sessionDir));
    const error = (code: string, message: string, path: string) => {
      this.findings.push({ severity: "error", code, message, path });
      return message;
    };
    if (sub === "") {
      return error("BAD_LABEL", `subject folder ${basename(subjectDir)}: ${EMPTY}`, subjectDir);
    }
    if (ses === "") {
      return error("BAD_LABEL", `session folder ${basename(sessionDir)}: ${EMPTY}`, sessionDir);
    }
    const subjectFirst = this.#subjects.claim(sub, subjectDir);
    if (subjectFirst !== undefined) {
      return error(
        "DUPLICATE_LABEL",
        `subject folders ${subjectFirst} and ${subjectDir} both give sub-${sub}; nothing is written until one is renamed`,
        subjectDir,
      );
    }
    const sessionFirst = this.#sessions.claim(`${sub}/${ses}`, sessionDir);
    if (sessionFirst !== undefined) {
      return error(
        "DUPLICATE_LABEL",
        `session folders ${sessionFirst} and ${sessionDir} both give sub-${sub}/ses-${ses}; nothing is written until one is renamed`,
        sessionDir,
      );
    }
    return { sub, ses };
  }

  #candidate(scan: XnatScan, image: XnatFile, labels: { sub: string; ses: string }) {
    const path = image.path as string;
    let parsed: ReturnType<typeof parseName>;
    try {
      parsed = parseName(image.name as string);
    } catch (error) {
      if (!(error instanceof NameError)) throw error;
      this.skip(path, `not a RADIFOX name: ${error.message}`);
      return undefined;
    }
    const mapped = mapRadifoxImage(parsed, this.#mapping);
    if (!mapped.ok) {
      this.skip(path, mapped.reason);
      return undefined;
    }
    const name: BidsName = {
      entities: [
        { key: "sub", value: labels.sub },
        { key: "ses", value: labels.ses },
        ...mapped.entities,
      ],
      suffix: mapped.suffix,
      extension: "",
    };
    const placed = place(name);
    if (!placed.ok) {
      this.skip(path, `${formatBidsName(name)}: ${placed.reason}`);
      return undefined;
    }
    return {
      scan,
      image,
      parsed,
      name,
      why: `RADIFOX ${parsed.imageType}: ${mapped.why.join(", ")}`,
    };
  }

  #plan(candidate: Candidate, labels: { sub: string; ses: string }): void {
    const { scan, image, name, why } = candidate;
    // Checked again: the run number is new.
    const placed = place(name);
    if (!placed.ok) {
      this.skip(image.path as string, `${formatBidsName(name)}: ${placed.reason}`);
      return;
    }
    const { rule } = placed;
    const stem = `${datatypeFolder(labels.sub, labels.ses, rule.datatype)}/${formatBidsName(name)}`;
    const add = (file: Omit<PlannedFile, "subject" | "session">) =>
      this.files.push({ ...file, subject: labels.sub, session: labels.ses });
    add({
      source: dataFile(image.path as string),
      target: stem + extensionOf(image.name as string),
      why,
    });
    for (const file of resourceFiles(scan, "NIFTI")) {
      if (file === image) continue;
      const ext = extensionOf(file.name as string);
      const source = file.path as string;
      if (IMAGE_EXTENSIONS.includes(ext)) {
        this.skip(source, `the ${extensionOf(image.name as string)} of the same image is taken`);
      } else if (ext !== ".json" && rule.extensions.includes(ext)) {
        add({ source: dataFile(source), target: stem + ext, why: `${why}; the image's ${ext}` });
      } else {
        this.skip(source, `BIDS has no ${ext || "extensionless"} file beside ${name.suffix}`);
      }
    }
    const sidecar = resourceFiles(scan, "JSON")[0];
    if (!sidecar) {
      const required = rule.sidecar === "required" ? `; BIDS requires one for ${name.suffix}` : "";
      this.findings.push({
        severity: "warning",
        code: "SIDECAR_MISSING",
        message: `no RADIFOX sidecar, so ${stem}.json is not written${required}`,
        path: image.path as string,
      });
      return;
    }
    const source = sidecar.path as string;
    try {
      const info = readSeriesInfoSync(source);
      // The task- label also names the task in the sidecar (TaskName: BIDS requires it of bold).
      const content = formatBidsSidecar(
        radifoxSidecarToBids(info, { task: entityValue(name, "task") }),
      );
      add({
        content,
        target: `${stem}.json`,
        why: `${why}; sidecar from ${basename(source)}, times in s`,
      });
    } catch (error) {
      if (!(error instanceof SidecarError)) throw error;
      this.skip(source, `cannot use the sidecar: ${error.message}`);
    }
  }
}

/** The image file of a scan: its `.nii.gz`, else its `.nii`. */
function imageFile(scan: XnatScan): XnatFile | undefined {
  const files = resourceFiles(scan, "NIFTI");
  for (const ext of IMAGE_EXTENSIONS) {
    const file = files.find((f) => extensionOf(f.name ?? "") === ext);
    if (file) return file;
  }
  return undefined;
}

/** The rule of a name, or why it is no well-formed BIDS name or has no place. */
function place(name: BidsName): Placement {
  const parsed = parseBidsName(formatBidsName(name));
  if (!parsed.ok) return { ok: false, reason: parsed.problems.map((p) => p.message).join("; ") };
  return placeBidsName(parsed.name);
}

/**
 * The conversion plan of a RADIFOX study folder (`<study>/<SUBJECT>/<SESSION>/nii/`). Throws
 * `RadifoxMappingError` for a bad `mapping` and the archive's `ArchiveError` for a folder that is
 * no study. Labels: see `subjectLabel` and `sessionLabel`; two folders giving one label are an
 * error finding `DUPLICATE_LABEL`, which stops the conversion. Images of one session that
 * would get one name are numbered `run-1`, `run-2`, … in image-id order. The archive's problems
 * are warnings with their own codes. `found` counts the images of the `nii/` folders.
 */
export function planRadifoxStudy(root: string, options: PlanRadifoxOptions = {}): ConversionPlan {
  const mapping = resolveRadifoxMapping(options.mapping);
  const archive = openRadifoxArchive(root, {
    frames: false,
    ...(options.project !== undefined ? { project: options.project } : {}),
  });
  const planner = new Planner(mapping, archive.projectId);
  for (const session of archive.sessions(archive.projectId, { include: INCLUDE })) {
    planner.session(session);
  }
  const problems: Finding[] = archive.problems.map((p) => ({
    severity: "warning",
    code: p.code,
    message: p.message,
    path: p.path,
  }));
  return {
    input: "radifox",
    files: planner.files,
    skipped: planner.skipped,
    findings: [...problems, ...planner.findings],
    found: planner.found,
    descriptions: [],
  };
}
