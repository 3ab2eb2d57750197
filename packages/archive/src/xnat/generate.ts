// Generated XNAT-layout projects for tests and benchmarks: the metadata files and folders a real
// archive has, with tiny placeholder files (a few bytes, not images). Deterministic: the same
// options give the same archive, byte for byte. Synchronous and plain mkdir/write calls, so
// 10,000 sessions of 10 scans take seconds, not minutes.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ArchiveError } from "../errors.js";
import { isDirectory, LAYOUT } from "./disk.js";
import { checkLabel } from "./import.js";

export interface GenerateXnatArchiveOptions {
  /** The archive root; created when missing. */
  readonly root: string;
  /** The project id (its folder name); the project folder must not exist yet. */
  readonly project: string;
  /** Number of sessions. */
  readonly sessions: number;
  /** Scans per session (default 3). */
  readonly scansPerSession?: number;
  /** Resource folders per scan (default 1): `NIFTI`, `BIDS`, `DICOM`, `SNAPSHOTS`, … */
  readonly resourcesPerScan?: number;
  /** Files per resource folder (default 1). */
  readonly filesPerResource?: number;
  /** Sessions per subject (default 1). */
  readonly sessionsPerSubject?: number;
  /**
   * XNAT-style accession ids that differ from the labels (`<project>_S00001`,
   * `<project>_E00001`), as in a real XNAT; default false: ids equal labels.
   */
  readonly accessionIds?: boolean;
}

export interface GeneratedXnatArchive {
  readonly projectDir: string;
  /** Subject ids, in order. */
  readonly subjectIds: string[];
  /** Session ids, in order (session `i` belongs to subject `floor(i / sessionsPerSubject)`). */
  readonly sessionIds: string[];
  /** Session labels (= folder names), in order. */
  readonly sessionLabels: string[];
  /** Number of files written below resource folders. */
  readonly files: number;
}

/** Scan types and series descriptions of the generated scans, used in turn. */
const SCAN_TYPES = [
  ["T1w", "MPRAGE sag"],
  ["T2w", "T2 TSE axial"],
  ["FLAIR", "3D FLAIR"],
  ["bold", "rsfMRI 2.4mm"],
  ["dwi", "DTI 64 dir"],
  ["SWI", "SWI axial"],
  ["PD", "PD TSE"],
  ["T2star", "T2* GRE"],
  ["asl", "pCASL"],
  ["localizer", "AAHead_Scout"],
] as const;

const RESOURCES = ["NIFTI", "BIDS", "DICOM", "SNAPSHOTS", "QC", "PHYSIO"] as const;

const pad = (n: number) => String(n).padStart(5, "0");

function count(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${name} must be a whole number >= 0, not ${n}`);
  }
  return n;
}

/**
 * Writes one project in the XNAT layout below `root`: `project.json` with the subjects,
 * `arc001/<label>/session.json` and `SCANS/<n>/<RESOURCE>/<files>` for every session. A test and
 * benchmark aid: the files hold a few bytes of text, not images.
 */
export function generateXnatArchive(options: GenerateXnatArchiveOptions): GeneratedXnatArchive {
  const sessions = count(options.sessions, 0, "sessions");
  const scans = count(options.scansPerSession, 3, "scansPerSession");
  const resources = count(options.resourcesPerScan, 1, "resourcesPerScan");
  const filesPer = count(options.filesPerResource, 1, "filesPerResource");
  const perSubject = Math.max(1, count(options.sessionsPerSubject, 1, "sessionsPerSubject"));
  const { root } = options;
  const project = checkLabel("project", options.project);
  const finalDir = join(root, project);
  if (isDirectory(finalDir)) {
    throw new ArchiveError("E_ARCHIVE_EXISTS", "the project folder exists already", {
      path: finalDir,
    });
  }
  // Built under a hidden name and renamed at the end: a crash never leaves a half project.
  mkdirSync(root, { recursive: true });
  const projectDir = mkdtempSync(join(root, `.${project}.generate-`));
  mkdirSync(join(projectDir, LAYOUT.arc));

  const subjectCount = Math.ceil(sessions / perSubject);
  const subjects = Array.from({ length: subjectCount }, (_, i) => {
    const label = `S${pad(i + 1)}`;
    return options.accessionIds ? { id: `${project}_S${pad(i + 1)}`, label } : { id: label, label };
  });
  writeFileSync(
    join(projectDir, LAYOUT.projectFile),
    `${JSON.stringify(
      {
        id: project,
        label: project,
        title: `Generated project ${project}`,
        description: `${sessions} generated sessions`,
        subjects: subjects.map((subject, i) => ({
          ...subject,
          group: i % 2 === 0 ? "control" : "patient",
        })),
      },
      null,
      2,
    )}\n`,
  );

  const sessionIds: string[] = [];
  const sessionLabels: string[] = [];
  let files = 0;
  for (let s = 0; s < sessions; s++) {
    const subject = subjects[Math.floor(s / perSubject)]!;
    const label = `${subject.label}_MR${(s % perSubject) + 1}`;
    const id = options.accessionIds ? `${project}_E${pad(s + 1)}` : label;
    const sessionDir = join(projectDir, LAYOUT.arc, label);
    mkdirSync(sessionDir);
    const scansDir = join(sessionDir, LAYOUT.scans);
    if (scans > 0) mkdirSync(scansDir);
    const scanEntries = [];
    for (let n = 1; n <= scans; n++) {
      const [type, description] = SCAN_TYPES[(n - 1) % SCAN_TYPES.length]!;
      const scanDir = join(scansDir, String(n));
      mkdirSync(scanDir);
      for (let r = 0; r < resources; r++) {
        const resource = RESOURCES[r % RESOURCES.length]! + (r < RESOURCES.length ? "" : `${r}`);
        const resourceDir = join(scanDir, resource);
        mkdirSync(resourceDir);
        for (let f = 0; f < filesPer; f++) {
          writeFileSync(join(resourceDir, `${label}_${n}_${f + 1}.dat`), `${label} ${n} ${f}\n`);
          files++;
        }
      }
      scanEntries.push({
        id: String(n),
        type,
        "series-description": description,
        frames: type === "bold" ? 200 : 1,
        quality: "usable",
        modality: "MR",
      });
    }
    const metadata = {
      ...(options.accessionIds ? { id } : {}),
      label,
      subject: subject.label,
      xsiType: "xnat:mrSessionData",
      "visit-id": `v${(s % perSubject) + 1}`,
      scans: scanEntries,
    };
    writeFileSync(join(sessionDir, LAYOUT.sessionFile), JSON.stringify(metadata));
    sessionIds.push(id);
    sessionLabels.push(label);
  }
  try {
    renameSync(projectDir, finalDir);
  } catch (error) {
    rmSync(projectDir, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTEMPTY" || code === "EEXIST") {
      throw new ArchiveError("E_ARCHIVE_EXISTS", "the project folder exists already", {
        path: finalDir,
      });
    }
    throw error;
  }
  return {
    projectDir: finalDir,
    subjectIds: subjects.map((s) => s.id),
    sessionIds,
    sessionLabels,
    files,
  };
}
