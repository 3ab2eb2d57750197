// A session in the XNAT layout from a folder of dcm2niix output, as XNAT holds a session after
// its dcm2niix command ran: one scan per series, images in the scan's NIFTI resource, BIDS
// sidecars in its BIDS resource, the scan fields XNAT reads from DICOM taken from the sidecars.
// The session is assembled in a hidden folder beside its final place and renamed into place, so
// readers never see half a session; project.json is merged under a lock and replaced atomically.
import { randomBytes } from "node:crypto";
import { constants, type Dirent, readdirSync } from "node:fs";
import { copyFile, link, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { compareCodePoints } from "@radifox/naming";
import { readHeaderSync } from "@radifox/nifti";
import { ArchiveError } from "../errors.js";
import type { XnatSession } from "../model.js";
import { experimentUri } from "../uri.js";
import { openXnatArchive } from "./archive.js";
import { isDirectory, LAYOUT } from "./disk.js";
import { withFileLock } from "./lock.js";
import { readJsonFile } from "./metadata.js";

export interface ImportDcm2niixOptions {
  /** The folder dcm2niix wrote to (searched recursively; hidden entries are skipped). */
  readonly from: string;
  /** The archive root. */
  readonly archive: string;
  /** The project id; its folder and project.json are created when missing. */
  readonly project: string;
  /** The subject's label. Default: the sidecars' `PatientID` (dcm2niix `-ba n`). */
  readonly subject?: string;
  /** The session's label (its folder name). Default: the name of the `from` folder. */
  readonly session?: string;
  /** The session's accession id when it differs from the label (XNAT's `XNAT_E00001`). */
  readonly sessionId?: string;
  readonly visitId?: string;
  /** Default: from the first series' `Modality` (`MR` → `xnat:mrSessionData`, …). */
  readonly xsiType?: string;
  /**
   * `copy` (default; a copy-on-write clone where the file system can) or `link` (hard links,
   * falling back to copies across file systems). Linked files share their bytes with `from`.
   */
  readonly files?: "copy" | "link";
  /** Replace an existing session of that label (default false: `E_ARCHIVE_EXISTS`). */
  readonly overwrite?: boolean;
}

export interface ImportedSession {
  /** The session folder. */
  readonly dir: string;
  /** The session as the archive now reads it, with every child. */
  readonly session: XnatSession;
  /** Whether the subject was added to project.json. */
  readonly subjectAdded: boolean;
  /** Files that were left out, sidecars without images, headers that could not be read. */
  readonly warnings: string[];
}

/** XNAT accepts letters, digits, `_` and `-` in ids and labels. */
const XNAT_LABEL = /^[A-Za-z0-9_-]+$/;

/** DICOM modality → the XNAT data type prefix (`xnat:<x>SessionData`, `xnat:<x>ScanData`). */
const MODALITY_TYPES: Record<string, string> = {
  MR: "mr",
  CT: "ct",
  PT: "pet",
  NM: "nm",
  US: "us",
  CR: "cr",
  DX: "dx",
  MG: "mg",
  XA: "xa",
};

const dataType = (modality: string | undefined, kind: "Session" | "Scan") =>
  `xnat:${MODALITY_TYPES[modality ?? ""] ?? "otherDicom"}${kind}Data`;

/** Extensions dcm2niix writes, longest first; `nifti` files go to the NIFTI resource. */
const EXTENSIONS: readonly [string, "image" | "sidecar" | "nifti"][] = [
  [".nii.gz", "image"],
  [".nii", "image"],
  [".json", "sidecar"],
  [".bval", "nifti"],
  [".bvec", "nifti"],
  [".tsv.gz", "nifti"],
  [".tsv", "nifti"],
];

interface Series {
  readonly base: string;
  images: string[];
  sidecar: string | undefined;
  extras: string[];
}

interface ScanPlan {
  readonly key: string;
  readonly number: number | undefined;
  readonly series: Series[];
  readonly sidecar: Record<string, unknown> | undefined;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      throw new ArchiveError("E_ARCHIVE_IMPORT", `cannot list (${(error as Error).message})`, {
        path: folder,
        cause: error,
      });
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() || entry.isSymbolicLink()) out.push(path);
    }
  };
  walk(dir);
  return out.sort(compareCodePoints);
}

function readSidecar(path: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = readJsonFile(path);
  } catch (error) {
    throw new ArchiveError("E_ARCHIVE_IMPORT", "a sidecar is not valid JSON", {
      path,
      cause: error,
    });
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new ArchiveError("E_ARCHIVE_IMPORT", "a sidecar must hold a JSON object", { path });
  }
  return json as Record<string, unknown>;
}

const text = (value: unknown): string | undefined => {
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number") return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    return value.join(" ");
  }
  return undefined;
};

function seriesNumber(sidecar: Record<string, unknown> | undefined): number | undefined {
  const value = sidecar?.SeriesNumber;
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isSafeInteger(number) && number >= 0
    ? number
    : undefined;
}

/** Series of dcm2niix output grouped into scans: one per series number and series. */
function planScans(from: string, warnings: string[]): ScanPlan[] {
  const byBase = new Map<string, Series>();
  for (const path of listFiles(from)) {
    const name = basename(path);
    const match = EXTENSIONS.find(([extension]) => name.endsWith(extension));
    if (match === undefined || name === match[0]) {
      warnings.push(`${path}: not dcm2niix output, left out`);
      continue;
    }
    const base = name.slice(0, -match[0].length);
    let series = byBase.get(base);
    if (series === undefined) {
      series = { base, images: [], sidecar: undefined, extras: [] };
      byBase.set(base, series);
    }
    if (match[1] === "image") series.images.push(path);
    else if (match[1] === "nifti") series.extras.push(path);
    else if (series.sidecar === undefined) series.sidecar = path;
    else throw new ArchiveError("E_ARCHIVE_IMPORT", `two sidecars named ${name}`, { path });
  }
  const plans = new Map<string, ScanPlan>();
  for (const series of byBase.values()) {
    if (series.images.length === 0) {
      warnings.push(
        `${series.sidecar ?? series.extras[0]}: no image named ${series.base}.nii(.gz), left out`,
      );
      continue;
    }
    const sidecar = series.sidecar === undefined ? undefined : readSidecar(series.sidecar);
    if (sidecar === undefined) warnings.push(`${series.images[0]}: no JSON sidecar`);
    const number = seriesNumber(sidecar);
    // Echoes, phase images and `_i0000N` parts of one series share its number and UID.
    const identity =
      text(sidecar?.SeriesInstanceUID) ??
      text(sidecar?.SeriesDescription) ??
      text(sidecar?.ProtocolName) ??
      "";
    const key = number === undefined ? `base:${series.base}` : `${number}|${identity}`;
    const plan = plans.get(key);
    if (plan === undefined) plans.set(key, { key, number, series: [series], sidecar });
    else plan.series.push(series);
  }
  return [...plans.values()].sort(
    (a, b) =>
      (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER) ||
      compareCodePoints(a.series[0]!.base, b.series[0]!.base),
  );
}

/** Scan ids: the series number; a second series with that number gets `<n>-2`, and so on. */
function scanIds(plans: readonly ScanPlan[]): string[] {
  const used = new Set<string>();
  const ids = plans.map((plan) => {
    if (plan.number === undefined) return undefined;
    let id = String(plan.number);
    for (let k = 2; used.has(id); k++) id = `${plan.number}-${k}`;
    used.add(id);
    return id;
  });
  let next = 1;
  return ids.map((id) => {
    if (id !== undefined) return id;
    while (used.has(String(next))) next++;
    used.add(String(next));
    return String(next);
  });
}

function frames(image: string, warnings: string[]): number | undefined {
  try {
    const { dim } = readHeaderSync(image);
    return (dim[0] ?? 0) >= 4 ? dim[4] : 1;
  } catch (error) {
    warnings.push(`${image}: header not readable, frames unknown (${(error as Error).message})`);
    return undefined;
  }
}

export function checkLabel(what: string, value: string): string {
  if (!XNAT_LABEL.test(value)) {
    throw new ArchiveError(
      "E_ARCHIVE_IMPORT",
      `${what} ${JSON.stringify(value)} is not an XNAT label (letters, digits, _ and - only)`,
    );
  }
  return value;
}

async function transfer(source: string, target: string, mode: "copy" | "link"): Promise<void> {
  try {
    if (mode === "link") {
      try {
        await link(source, target);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "EXDEV" && code !== "EPERM" && code !== "EMLINK") throw error;
      }
    }
    await copyFile(source, target, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  } catch (error) {
    throw new ArchiveError("E_ARCHIVE_IMPORT", `cannot ${mode} to ${target}`, {
      path: source,
      cause: error,
    });
  }
}

/** Writes `data` to `path` through a temporary file in the same folder and a rename. */
async function writeAtomically(path: string, data: string): Promise<void> {
  const temporary = join(
    path,
    "..",
    `.${basename(path)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await writeFile(temporary, data, { flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new ArchiveError("E_ARCHIVE_IMPORT", `cannot write (${(error as Error).message})`, {
      path,
      cause: error,
    });
  }
}

/**
 * Adds the subject to project.json (created when missing) unless it is listed, by label or id.
 * Every other key and entry is kept as it was. Returns whether the subject was added.
 */
async function mergeProject(projectDir: string, project: string, subject: string) {
  const path = join(projectDir, LAYOUT.projectFile);
  const json = readJsonFile(path) ?? { id: project, subjects: [] };
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new ArchiveError("E_ARCHIVE_FORMAT", "must be an object", { path, pointer: "" });
  }
  const root = json as Record<string, unknown>;
  const subjects = root.subjects ?? [];
  if (!Array.isArray(subjects)) {
    throw new ArchiveError("E_ARCHIVE_FORMAT", "must be a list", { path, pointer: "/subjects" });
  }
  const listed = subjects.some(
    (entry) =>
      entry !== null &&
      typeof entry === "object" &&
      ((entry as Record<string, unknown>).label === subject ||
        (entry as Record<string, unknown>).id === subject),
  );
  if (listed) return false;
  root.subjects = [...subjects, { label: subject }];
  await writeAtomically(path, `${JSON.stringify(root, null, 2)}\n`);
  return true;
}

/**
 * Builds an XNAT-layout session from a folder of dcm2niix output (NIfTI images with BIDS JSON
 * sidecars, `.bval`/`.bvec` for diffusion): one scan per series, id = `SeriesNumber` (else the
 * smallest free number), type = `SeriesDescription` (else `ProtocolName`), `modality`,
 * `uid` (`SeriesInstanceUID`), `start-time` (`AcquisitionTime`), scanner fields, and `frames`
 * from the image header (its 4th dimension, else 1). Images, `.bval`, `.bvec` and physio `.tsv`
 * go to the scan's `NIFTI` resource, sidecars to `BIDS`. The subject is added to project.json.
 */
export async function importDcm2niix(options: ImportDcm2niixOptions): Promise<ImportedSession> {
  const warnings: string[] = [];
  if (!isDirectory(options.from)) {
    throw new ArchiveError("E_ARCHIVE_IMPORT", "not a folder", { path: options.from });
  }
  const plans = planScans(options.from, warnings);
  if (plans.length === 0) {
    throw new ArchiveError("E_ARCHIVE_IMPORT", "no NIfTI images found", { path: options.from });
  }
  const project = checkLabel("project", options.project);
  const patient = plans.map((plan) => text(plan.sidecar?.PatientID)).find(Boolean);
  const subjectText = options.subject ?? patient;
  if (subjectText === undefined) {
    throw new ArchiveError(
      "E_ARCHIVE_IMPORT",
      "no subject given and the sidecars carry no PatientID (dcm2niix -ba n keeps it)",
      { path: options.from },
    );
  }
  const subject = checkLabel("subject", subjectText);
  const label = checkLabel("session", options.session ?? basename(options.from));
  const sessionId =
    options.sessionId === undefined ? undefined : checkLabel("session id", options.sessionId);

  const projectDir = join(options.archive, project);
  const arc = join(projectDir, LAYOUT.arc);
  const finalDir = join(arc, label);
  const exists = () =>
    new ArchiveError("E_ARCHIVE_EXISTS", "the session exists; pass overwrite to replace it", {
      path: finalDir,
    });
  if (isDirectory(finalDir) && !options.overwrite) throw exists();
  await mkdir(arc, { recursive: true });
  const checkIdFree = () => {
    if (sessionId === undefined || !isDirectory(options.archive)) return;
    const other = openXnatArchive(options.archive).byId("Session", sessionId, {
      include: new Set(),
    });
    if (other !== undefined && other.directory !== finalDir) {
      throw new ArchiveError("E_ARCHIVE_EXISTS", `session id ${sessionId} is taken`, {
        path: other.directory,
      });
    }
  };
  checkIdFree(); // early, before copying anything; again under the lock

  const temporary = join(arc, `.${label}.import-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    const ids = scanIds(plans);
    const modalities = plans.map((plan) => text(plan.sidecar?.Modality)).filter(Boolean);
    const scans = [];
    for (const [i, plan] of plans.entries()) {
      const id = ids[i]!;
      const scanDir = join(temporary, LAYOUT.scans, id);
      const niftiDir = join(scanDir, "NIFTI");
      await mkdir(niftiDir, { recursive: true });
      for (const series of plan.series) {
        for (const file of [...series.images, ...series.extras]) {
          await transfer(file, join(niftiDir, basename(file)), options.files ?? "copy");
        }
      }
      const sidecars = plan.series.flatMap((series) => (series.sidecar ? [series.sidecar] : []));
      if (sidecars.length > 0) {
        await mkdir(join(scanDir, "BIDS"));
        for (const file of sidecars) {
          await transfer(file, join(scanDir, "BIDS", basename(file)), options.files ?? "copy");
        }
      }
      const sidecar = plan.sidecar;
      const modality = text(sidecar?.Modality);
      scans.push(
        Object.fromEntries(
          Object.entries({
            id,
            type: text(sidecar?.SeriesDescription) ?? text(sidecar?.ProtocolName),
            xsiType: modality === undefined ? undefined : dataType(modality, "Scan"),
            "series-description": text(sidecar?.SeriesDescription),
            frames: frames(plan.series[0]!.images[0]!, warnings),
            modality,
            uid: text(sidecar?.SeriesInstanceUID),
            "start-time": text(sidecar?.AcquisitionTime),
            scanner: text(sidecar?.StationName),
            "scanner-manufacturer": text(sidecar?.Manufacturer),
            "scanner-model": text(sidecar?.ManufacturersModelName),
            "scanner-software-version": text(sidecar?.SoftwareVersions),
            resources: [
              { label: "NIFTI", format: "NIFTI" },
              ...(sidecars.length > 0 ? [{ label: "BIDS", format: "JSON" }] : []),
            ],
          }).filter(([, value]) => value !== undefined),
        ),
      );
    }
    const metadata = Object.fromEntries(
      Object.entries({
        id: sessionId,
        label,
        subject,
        // Without a modality the reader's default (xnat:mrSessionData) applies.
        xsiType:
          options.xsiType ??
          (modalities[0] === undefined ? undefined : dataType(modalities[0], "Session")),
        "visit-id": options.visitId,
        scans,
      }).filter(([, value]) => value !== undefined),
    );
    await writeFile(join(temporary, LAYOUT.sessionFile), `${JSON.stringify(metadata, null, 2)}\n`);

    let subjectAdded = false;
    await withFileLock(join(projectDir, LAYOUT.projectFile), async () => {
      checkIdFree();
      // The session goes in place first, so a failure leaves project.json as it was.
      if (isDirectory(finalDir)) {
        if (!options.overwrite) throw exists();
        const old = `${temporary}.old`;
        await rename(finalDir, old);
        try {
          await rename(temporary, finalDir);
        } catch (error) {
          await rename(old, finalDir); // the user's session comes back
          throw error;
        }
        await rm(old, { recursive: true, force: true });
      } else {
        await rename(temporary, finalDir).catch((error: NodeJS.ErrnoException) => {
          throw error.code === "ENOTEMPTY" || error.code === "EEXIST" ? exists() : error;
        });
      }
      subjectAdded = await mergeProject(projectDir, project, subject);
    });
    const uri = experimentUri(sessionId ?? label);
    const session = openXnatArchive(options.archive).byUri(uri) as XnatSession;
    return { dir: finalDir, session, subjectAdded, warnings };
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}
