// The setup-command contract: `/input` is one XNAT session folder, or a folder of them (a
// project's `arc001`), laid out as `<session>/SCANS/<scan>/BIDS/<base>.json` beside
// `<session>/SCANS/<scan>/NIFTI/<base>.<ext>`, with an optional
// `<session>/RESOURCES/BIDS/dataset_description.json`. Each sidecar's name is a BIDS name; it
// decides the subject, the session and the datatype folder, never the XNAT folder names.
import { join } from "node:path";
import { type BidsName, entityValue, parseBidsName, withoutSuffix } from "../bids/names.js";
import {
  datatypeFolder,
  type Placement,
  placeBidsName,
  ruleProblems,
  rulesForSuffix,
} from "../bids/rules.js";
import {
  compareScanIds,
  dataFile,
  folderNames,
  isBrokenLink,
  isFileEntry,
  isFolder,
  listEntries,
  type Report,
} from "../folders.js";
import type {
  ConversionPlan,
  DescriptionSource,
  Finding,
  PlannedFile,
  SkippedInput,
} from "../plan.js";

/** XNAT's folder and resource names the contract uses. */
export const XNAT_FOLDERS = {
  scans: "SCANS",
  resources: "RESOURCES",
  bids: "BIDS",
  nifti: "NIFTI",
  /** A project folder of the XNAT layout keeps its sessions here. */
  arc: "arc001",
} as const;

const DESCRIPTION = "dataset_description.json";

/** Whether `dir` looks like one XNAT session: it has `SCANS` or `RESOURCES`. */
export function isXnatSession(dir: string): boolean {
  return isFolder(join(dir, XNAT_FOLDERS.scans)) || isFolder(join(dir, XNAT_FOLDERS.resources));
}

/** The session folders of a folder of sessions (or of a project folder with `arc001`). */
export function xnatSessionFolders(root: string, report: Report): string[] {
  const arc = join(root, XNAT_FOLDERS.arc);
  const base = isFolder(arc) ? arc : root;
  const sessions: string[] = [];
  for (const name of folderNames(base, report)) {
    const dir = join(base, name);
    if (isXnatSession(dir)) sessions.push(dir);
    else {
      report({
        severity: "warning",
        code: "NOT_A_SESSION",
        message: `has neither ${XNAT_FOLDERS.scans} nor ${XNAT_FOLDERS.resources}: not an XNAT session`,
        path: dir,
      });
    }
  }
  return sessions;
}

/** Plans one session folder, or every session of a folder of sessions. */
export function planXnatInput(
  root: string,
  kind: "xnat-session" | "xnat-sessions",
): ConversionPlan {
  const findings: Finding[] = [];
  const report: Report = (finding) => findings.push(finding);
  const files: PlannedFile[] = [];
  const skipped: SkippedInput[] = [];
  const descriptions: DescriptionSource[] = [];
  const sessions = kind === "xnat-session" ? [root] : xnatSessionFolders(root, report);
  const sidecars = { count: 0 };
  for (const session of sessions) {
    planSession(session, { files, skipped, descriptions, report, sidecars });
  }
  return { input: kind, files, skipped, findings, descriptions, found: sidecars.count };
}

interface Collector {
  readonly files: PlannedFile[];
  readonly skipped: SkippedInput[];
  readonly descriptions: DescriptionSource[];
  readonly report: Report;
  /** BIDS sidecars met, converted or not. */
  readonly sidecars: { count: number };
}

function planSession(session: string, out: Collector): void {
  const description = join(session, XNAT_FOLDERS.resources, XNAT_FOLDERS.bids, DESCRIPTION);
  if (
    listEntries(join(session, XNAT_FOLDERS.resources, XNAT_FOLDERS.bids), out.report)?.some(
      (entry) => entry.name === DESCRIPTION,
    )
  ) {
    out.descriptions.push({ path: description });
  }
  const scansDir = join(session, XNAT_FOLDERS.scans);
  if (!isFolder(scansDir)) {
    out.report({
      severity: "warning",
      code: "MISSING_SCANS",
      message: `no ${XNAT_FOLDERS.scans} folder: the session has no scans to convert`,
      path: session,
    });
    return;
  }
  const scans = folderNames(scansDir, out.report)
    .sort(compareScanIds)
    .map((scan) => readScan(join(scansDir, scan), out.report));
  // Needed only for a name that fits several folders: worked out at the first such name.
  let folders: Map<string, string | null> | undefined;
  const runFolders = () => {
    folders ??= referenceFolders(scans);
    return folders;
  };
  for (const scan of scans) planScan(scan, out, runFolders);
}

/** A scan's BIDS and NIFTI resource files. */
interface ScanFiles {
  readonly dir: string;
  readonly bidsFiles: ResourceFile[];
  readonly niftiFiles: ResourceFile[];
}

function readScan(dir: string, report: Report): ScanFiles {
  return {
    dir,
    bidsFiles: resourceFiles(join(dir, XNAT_FOLDERS.bids), report),
    niftiFiles: resourceFiles(join(dir, XNAT_FOLDERS.nifti), report),
  };
}

/** The entities of a name that tie a recording to its run (`recording-` only tells them apart). */
const runKey = (name: BidsName) =>
  name.entities
    .filter((e) => e.key !== "recording")
    .map((e) => `${e.key}-${e.value}`)
    .join("_");

/** The datatype folders a name fits. */
const foldersOf = (name: BidsName) => [
  ...new Set(
    rulesForSuffix(name.suffix)
      .filter((r) => ruleProblems(name, r).length === 0)
      .map((r) => r.datatype),
  ),
];

/**
 * The folder of each run of the session, from the sidecars whose names fit one folder only
 * (null when two such runs disagree). BIDS names a recording or a scanner map after its run, so
 * a name that fits several folders (physio without task- fits dwi/ and perf/) goes to its run's.
 */
function referenceFolders(scans: readonly ScanFiles[]): Map<string, string | null> {
  const folders = new Map<string, string | null>();
  for (const file of scans.flatMap((scan) => scan.bidsFiles)) {
    const parsed = parseBidsName(withoutSuffix(file.name, ".json") ?? "");
    if (!parsed.ok || parsed.name.extension !== "") continue;
    const [folder, ...others] = foldersOf(parsed.name);
    if (folder === undefined || others.length > 0) continue;
    const key = runKey(parsed.name);
    const known = folders.get(key);
    folders.set(key, known === undefined || known === folder ? folder : null);
  }
  return folders;
}

/**
 * The only folder a name fits; for one that fits several, its run's folder when it fits that,
 * else the first rule's (see {@link placeBidsName}).
 */
function placeByRun(name: BidsName, runFolders: RunFolders): Placement {
  if (foldersOf(name).length < 2) return placeBidsName(name);
  const folder = runFolders().get(runKey(name));
  const near = folder ? placeBidsName(name, folder) : undefined;
  return near?.ok ? near : placeBidsName(name);
}

/** One file of a scan resource. */
interface ResourceFile {
  readonly name: string;
  readonly path: string;
}

function resourceFiles(dir: string, report: Report): ResourceFile[] {
  const files: ResourceFile[] = [];
  for (const entry of listEntries(dir, report) ?? []) {
    if (isBrokenLink(entry, dir)) {
      report({
        severity: "error",
        code: "UNREADABLE",
        message: "a symbolic link that leads to no readable file: left out",
        path: join(dir, entry.name),
      });
    } else if (isFileEntry(entry, dir)) {
      // A hard link to a symbolic link would be a second symbolic link (often a broken one,
      // when relative): the data file is the file it points at.
      const path = join(dir, entry.name);
      files.push({ name: entry.name, path: entry.isSymbolicLink() ? dataFile(path) : path });
    }
  }
  return files;
}

/** The sidecar whose base is the longest that `file`'s name starts with (then a dot). */
function ownerOf(file: ResourceFile, sidecars: readonly Sidecar[]): Sidecar | undefined {
  let owner: Sidecar | undefined;
  for (const sidecar of sidecars) {
    const fits = file.name.startsWith(`${sidecar.base}.`);
    if (fits && (owner === undefined || sidecar.base.length > owner.base.length)) owner = sidecar;
  }
  return owner;
}

interface Sidecar extends ResourceFile {
  /** The name without `.json`. */
  readonly base: string;
  /** The scan's files of this base, the sidecar included. */
  readonly members: ResourceFile[];
}

/** The folder of each run of a session (see {@link referenceFolders}), worked out on demand. */
type RunFolders = () => ReadonlyMap<string, string | null>;

function planScan(scan: ScanFiles, out: Collector, folders: RunFolders) {
  const { dir: scanDir, bidsFiles, niftiFiles } = scan;
  const sidecars: Sidecar[] = bidsFiles
    .filter((f) => f.name.endsWith(".json"))
    .map((f) => ({ ...f, base: withoutSuffix(f.name, ".json") as string, members: [] }));
  if (sidecars.length === 0) {
    out.skipped.push({
      source: scanDir,
      reason:
        bidsFiles.length + niftiFiles.length === 0
          ? `no ${XNAT_FOLDERS.bids} or ${XNAT_FOLDERS.nifti} resource: not BIDS data`
          : `no BIDS sidecar (${XNAT_FOLDERS.bids}/*.json) names the scan's files`,
    });
    return;
  }
  if (sidecars.length > 1) {
    out.report({
      severity: "warning",
      code: "SEVERAL_SIDECARS",
      message: `${sidecars.length} BIDS sidecars in one scan (${sidecars.map((s) => s.name).join(", ")}); each is converted with the files of its own name`,
      path: join(scanDir, XNAT_FOLDERS.bids),
    });
  }
  out.sidecars.count += sidecars.length;
  // Each file belongs to one sidecar at most: `x.old.json` is its own sidecar, not a file of `x`.
  const sidecarNames = new Set(sidecars.map((s) => s.name));
  for (const file of [...bidsFiles, ...niftiFiles]) {
    const owner = ownerOf(file, sidecars);
    if (owner && sidecarNames.has(file.name) && !bidsFiles.includes(file)) {
      // dcm2niix leaves its own .json beside the image; the BIDS resource's is the sidecar.
      out.skipped.push({
        source: file.path,
        reason: `the ${XNAT_FOLDERS.bids} resource's ${file.name} is the sidecar`,
      });
    } else if (owner) owner.members.push(file);
    else {
      out.skipped.push({
        source: file.path,
        reason: `named after no BIDS sidecar of the scan (${sidecars.map((s) => s.name).join(", ")})`,
      });
    }
  }
  for (const sidecar of sidecars) planSidecar(sidecar, out, folders);
}

/** Plans the files of one sidecar `<base>.json`: every `<base>.<ext>` of the scan. */
function planSidecar(sidecar: Sidecar, out: Collector, folders: RunFolders): void {
  const { base, members } = sidecar;
  const skip = (reason: string) => {
    out.skipped.push({ source: sidecar.path, base, reason });
  };
  const parsed = parseBidsName(base);
  if (!parsed.ok) {
    skip(parsed.problems.map((p) => p.message).join("; "));
    return;
  }
  if (parsed.name.extension !== "") {
    skip(`'${base}' holds a '.': a BIDS name has no dot before its extension`);
    return;
  }
  const placed = placeByRun(parsed.name, folders);
  if (!placed.ok) {
    skip(placed.reason);
    return;
  }
  if (members.length < 2) {
    skip(`no data file beside the sidecar (${base}.nii.gz, .nii, .tsv.gz …)`);
    return;
  }
  const subject = entityValue(parsed.name, "sub") as string;
  const session = entityValue(parsed.name, "ses");
  const folder = datatypeFolder(subject, session, placed.rule.datatype);
  for (const file of members) {
    const extension = file.name.slice(base.length);
    if (!placed.rule.extensions.includes(extension)) {
      out.skipped.push({
        source: file.path,
        reason: `${extension} is not an extension of ${parsed.name.suffix} (${placed.rule.extensions.join(", ")})`,
      });
      continue;
    }
    out.files.push({
      source: file.path,
      target: `${folder}/${file.name}`,
      why: `${parsed.name.suffix} -> ${placed.rule.datatype}/; sub-${subject}${
        session === undefined ? "" : `, ses-${session}`
      } from the name`,
      subject,
      ...(session === undefined ? {} : { session }),
    });
  }
}
