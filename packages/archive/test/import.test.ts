// importDcm2niix: dcm2niix output (written here as real NIfTI + sidecars, and once produced by
// dcm2niix itself from DICOM) turned into an XNAT-layout session that the reader reads back.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createImage, writeImage } from "@radifox/nifti";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importDcm2niix, openXnatArchive, type XnatSession } from "../src/index.js";

let work: string;
let archiveRoot: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "xnat-import-"));
  archiveRoot = join(work, "archive");
  mkdirSync(archiveRoot);
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function nifti(path: string, shape: number[]): Promise<void> {
  const data = new Int16Array(shape.reduce((a, b) => a * b, 1));
  await writeImage(path, createImage({ data, shape }), { durable: false });
}

/** A dcm2niix output folder: series 2 (T1w and a second series 2), 5, 7 (DWI), 9 (2 echoes). */
async function dcm2niixOutput(name: string): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir);
  const sidecar = (file: string, fields: object) =>
    writeFileSync(join(dir, file), JSON.stringify({ Modality: "MR", ...fields }, null, 2));
  await nifti(join(dir, "T1w.nii.gz"), [4, 4, 3]);
  sidecar("T1w.json", {
    SeriesNumber: 2,
    SeriesDescription: "MPRAGE sag",
    ProtocolName: "t1_mprage",
    SeriesInstanceUID: "1.2.3.2",
    AcquisitionTime: "10:01:02.500000",
    Manufacturer: "Siemens",
    ManufacturersModelName: "Prisma",
    SoftwareVersions: "syngo MR XA30",
    StationName: "MRC1",
    PatientID: "SUBJ01",
  });
  await nifti(join(dir, "loc_a.nii.gz"), [4, 4, 1]);
  sidecar("loc_a.json", {
    SeriesNumber: 2,
    SeriesInstanceUID: "1.2.3.99",
    SeriesDescription: "loc",
  });
  await nifti(join(dir, "bold.nii.gz"), [4, 4, 3, 7]);
  sidecar("bold.json", { SeriesNumber: "5", ProtocolName: "rest_bold" });
  await nifti(join(dir, "dwi.nii"), [4, 4, 3, 2]);
  sidecar("dwi.json", { SeriesNumber: 7, SeriesDescription: "DTI" });
  writeFileSync(join(dir, "dwi.bval"), "0 1000\n");
  writeFileSync(join(dir, "dwi.bvec"), "1 0\n0 1\n0 0\n");
  mkdirSync(join(dir, "echoes"));
  for (const echo of ["e1", "e2"]) {
    await nifti(join(dir, "echoes", `me_${echo}.nii.gz`), [4, 4, 2]);
    sidecar(join("echoes", `me_${echo}.json`), {
      SeriesNumber: 9,
      SeriesInstanceUID: "1.2.3.9",
      SeriesDescription: "ME GRE",
    });
  }
  await nifti(join(dir, "nosidecar.nii.gz"), [2, 2, 2]);
  sidecar("orphan.json", { SeriesNumber: 11 });
  writeFileSync(join(dir, "notes.txt"), "not an image");
  writeFileSync(join(dir, ".DS_Store"), "");
  return dir;
}

describe("importDcm2niix", () => {
  it("writes one scan per series, with NIFTI and BIDS resources and the sidecars' fields", async () => {
    const from = await dcm2niixOutput("MR1");
    const result = await importDcm2niix({ from, archive: archiveRoot, project: "PRJ" });
    const dir = join(archiveRoot, "PRJ/arc001/MR1");
    expect(result.dir).toBe(dir);
    expect(result.subjectAdded).toBe(true);
    expect(result.warnings).toEqual([
      `${join(from, "notes.txt")}: not dcm2niix output, left out`,
      `${join(from, "nosidecar.nii.gz")}: no JSON sidecar`,
      `${join(from, "orphan.json")}: no image named orphan.nii(.gz), left out`,
    ]);
    expect(JSON.parse(readFileSync(join(dir, "session.json"), "utf8"))).toEqual({
      label: "MR1",
      subject: "SUBJ01",
      xsiType: "xnat:mrSessionData",
      scans: [
        {
          id: "2",
          type: "MPRAGE sag",
          xsiType: "xnat:mrScanData",
          "series-description": "MPRAGE sag",
          frames: 1,
          modality: "MR",
          uid: "1.2.3.2",
          "start-time": "10:01:02.500000",
          scanner: "MRC1",
          "scanner-manufacturer": "Siemens",
          "scanner-model": "Prisma",
          "scanner-software-version": "syngo MR XA30",
          resources: [
            { label: "NIFTI", format: "NIFTI" },
            { label: "BIDS", format: "JSON" },
          ],
        },
        expect.objectContaining({ id: "2-2", type: "loc", uid: "1.2.3.99", frames: 1 }),
        expect.objectContaining({ id: "5", type: "rest_bold", frames: 7 }),
        expect.objectContaining({ id: "7", type: "DTI", frames: 2 }),
        expect.objectContaining({ id: "9", type: "ME GRE", frames: 1 }),
        { id: "1", frames: 1, resources: [{ label: "NIFTI", format: "NIFTI" }] },
      ],
    });
    const scans = readdirSync(join(dir, "SCANS")).sort();
    expect(scans).toEqual(["1", "2", "2-2", "5", "7", "9"]);
    expect(readdirSync(join(dir, "SCANS/7/NIFTI")).sort()).toEqual([
      "dwi.bval",
      "dwi.bvec",
      "dwi.nii",
    ]);
    expect(readdirSync(join(dir, "SCANS/9/BIDS")).sort()).toEqual(["me_e1.json", "me_e2.json"]);
    expect(existsSync(join(dir, "SCANS/1/BIDS"))).toBe(false);
    // No temporary folder is left beside the session.
    expect(readdirSync(join(archiveRoot, "PRJ/arc001"))).toEqual(["MR1"]);
    expect(JSON.parse(readFileSync(join(archiveRoot, "PRJ/project.json"), "utf8"))).toEqual({
      id: "PRJ",
      subjects: [{ label: "SUBJ01" }],
    });

    // The returned session is what the reader reads.
    const session = result.session;
    expect(session).toEqual(openXnatArchive(archiveRoot).byUri("/experiments/MR1"));
    expect(session.uri).toBe("/archive/experiments/MR1");
    expect(session["subject-id"]).toBe("SUBJ01");
    expect(session.scans.map((scan) => scan.label)).toEqual([
      "2 - MPRAGE sag",
      "2-2 - loc",
      "5 - rest_bold",
      "7 - DTI",
      "9 - ME GRE",
      "1",
    ]);
    const t1 = session.scans[0]!;
    expect(t1.resources.map((r) => [r.label, r.files.map((f) => [f.name, f.format])])).toEqual([
      ["NIFTI", [["T1w.nii.gz", "NIFTI"]]],
      ["BIDS", [["T1w.json", "JSON"]]],
    ]);
    expect(t1.resources[0]!.files[0]!.size).toBe(statSync(join(from, "T1w.nii.gz")).size);
    // Copies by default: the archive does not share the files with the dcm2niix output.
    expect(statSync(t1.resources[0]!.files[0]!.path!).ino).not.toBe(
      statSync(join(from, "T1w.nii.gz")).ino,
    );
  });

  it("hard-links with files: 'link', and takes labels, ids and types from options", async () => {
    const from = await dcm2niixOutput("out");
    const { session } = await importDcm2niix({
      from,
      archive: archiveRoot,
      project: "PRJ",
      subject: "sub-01",
      session: "sub-01_ses-1",
      sessionId: "PRJ_E00001",
      visitId: "baseline",
      xsiType: "xnat:mrSessionData",
      files: "link",
    });
    expect([session.id, session.label, session["visit-id"], session.uri]).toEqual([
      "PRJ_E00001",
      "sub-01_ses-1",
      "baseline",
      "/archive/experiments/PRJ_E00001",
    ]);
    const image = session.scans[0]!.resources[0]!.files[0]!.path!;
    expect(statSync(image).ino).toBe(statSync(join(from, "T1w.nii.gz")).ino);
    // The id is taken now: another session may not have it.
    await expect(
      importDcm2niix({
        from,
        archive: archiveRoot,
        project: "PRJ",
        subject: "sub-01",
        session: "other",
        sessionId: "PRJ_E00001",
      }),
    ).rejects.toMatchObject({ code: "E_ARCHIVE_EXISTS" });
  });

  it("refuses to replace a session unless overwrite is set", async () => {
    const from = await dcm2niixOutput("MR1");
    await importDcm2niix({ from, archive: archiveRoot, project: "PRJ" });
    const again = importDcm2niix({ from, archive: archiveRoot, project: "PRJ" });
    await expect(again).rejects.toMatchObject({
      code: "E_ARCHIVE_EXISTS",
      path: join(archiveRoot, "PRJ/arc001/MR1"),
    });
    // A smaller output replaces the session as a whole.
    const smaller = join(work, "smaller");
    mkdirSync(smaller);
    await nifti(join(smaller, "x.nii.gz"), [2, 2, 2, 3]);
    writeFileSync(join(smaller, "x.json"), JSON.stringify({ SeriesNumber: 4, Modality: "CT" }));
    const replaced = await importDcm2niix({
      from: smaller,
      archive: archiveRoot,
      project: "PRJ",
      subject: "SUBJ01",
      session: "MR1",
      overwrite: true,
    });
    expect(replaced.subjectAdded).toBe(false);
    expect(replaced.session.xsiType).toBe("xnat:ctSessionData");
    expect(replaced.session.scans.map((scan) => [scan.id, scan.xsiType, scan.frames])).toEqual([
      ["4", "xnat:ctScanData", 3],
    ]);
    expect(readdirSync(join(archiveRoot, "PRJ/arc001"))).toEqual(["MR1"]);
  });

  it("merges project.json, keeping every entry and key, under a lock", async () => {
    mkdirSync(join(archiveRoot, "PRJ"));
    const before = {
      id: "PRJ",
      title: "Kept",
      custom: { any: ["thing"] },
      subjects: [{ id: "XNAT_S9", label: "OLD", group: "g" }],
    };
    writeFileSync(join(archiveRoot, "PRJ/project.json"), JSON.stringify(before));
    const from = await dcm2niixOutput("MR1");
    const imports = ["NEW1", "NEW2", "NEW3", "OLD", "XNAT_S9"].map((subject, i) =>
      importDcm2niix({ from, archive: archiveRoot, project: "PRJ", subject, session: `S${i}` }),
    );
    const results = await Promise.all(imports);
    expect(results.map((result) => result.subjectAdded)).toEqual([true, true, true, false, false]);
    const after = JSON.parse(readFileSync(join(archiveRoot, "PRJ/project.json"), "utf8"));
    expect({ ...after, subjects: after.subjects.slice(0, 1) }).toEqual(before);
    expect(
      after.subjects
        .slice(1)
        .map((s: { label: string }) => s.label)
        .sort(),
    ).toEqual(["NEW1", "NEW2", "NEW3"]);
    expect(readdirSync(join(archiveRoot, "PRJ")).sort()).toEqual(["arc001", "project.json"]);
    const archive = openXnatArchive(archiveRoot);
    expect((archive.byId("Session", "S4") as XnatSession)["subject-id"]).toBe("XNAT_S9");
    expect(archive.byId("Subject", "XNAT_S9")).toMatchObject({
      sessions: [{ label: "S3" }, { label: "S4" }],
    });
  });

  it("imports images without sidecars or readable headers, with warnings", async () => {
    const from = join(work, "bare");
    mkdirSync(from);
    await nifti(join(from, "a.nii"), [2, 2, 2, 5]);
    writeFileSync(join(from, "b.nii.gz"), "not gzip");
    const { session, warnings } = await importDcm2niix({
      from,
      archive: archiveRoot,
      project: "PRJ",
      subject: "S1",
    });
    expect(session.xsiType).toBe("xnat:mrSessionData");
    expect(session.scans.map((scan) => [scan.id, scan.label, scan.frames, scan.xsiType])).toEqual([
      ["1", "1", 5, "xnat:mrScanData"],
      ["2", "2", undefined, "xnat:mrScanData"],
    ]);
    expect(warnings).toEqual([
      `${join(from, "a.nii")}: no JSON sidecar`,
      `${join(from, "b.nii.gz")}: no JSON sidecar`,
      expect.stringMatching(/b\.nii\.gz: header not readable, frames unknown/),
    ]);
  });

  it("refuses what it cannot import, before writing anything", async () => {
    const empty = join(work, "empty");
    mkdirSync(empty);
    writeFileSync(join(empty, "a.json"), "{}");
    const base = { archive: archiveRoot, project: "PRJ", subject: "S" };
    await expect(importDcm2niix({ ...base, from: empty })).rejects.toMatchObject({
      code: "E_ARCHIVE_IMPORT",
      message: `${empty}: no NIfTI images found`,
    });
    await expect(importDcm2niix({ ...base, from: join(work, "missing") })).rejects.toMatchObject({
      code: "E_ARCHIVE_IMPORT",
    });
    const from = await dcm2niixOutput("MR1");
    for (const options of [{ project: "P 1" }, { subject: "a/b" }, { session: "../x" }]) {
      await expect(importDcm2niix({ ...base, from, ...options })).rejects.toMatchObject({
        code: "E_ARCHIVE_IMPORT",
        message: expect.stringMatching(/is not an XNAT label/),
      });
    }
    writeFileSync(join(from, "T1w.json"), "{ broken");
    await expect(importDcm2niix({ ...base, from })).rejects.toMatchObject({
      code: "E_ARCHIVE_IMPORT",
      path: join(from, "T1w.json"),
    });
    writeFileSync(join(from, "T1w.json"), "{}");
    rmSync(join(from, "loc_a.json"));
    await expect(
      importDcm2niix({ from, archive: archiveRoot, project: "PRJ" }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/no subject given/) });
    expect(readdirSync(archiveRoot)).toEqual([]);
  });
});

/** Real DICOM series from Debian's python3-pydicom, converted by dcm2niix. */
const DICOM_SERIES =
  "/usr/lib/python3/dist-packages/pydicom/data/test_files/dicomdirtests/98892003/MR2";
const DCM2NIIX = "/usr/bin/dcm2niix";

function realDataAvailable(): boolean {
  const missing = [DCM2NIIX, DICOM_SERIES].filter((path) => !existsSync(path));
  if (missing.length === 0) return true;
  const reason = `${missing.join(" and ")} not found (install dcm2niix and python3-pydicom)`;
  if (process.env.CI === "true") throw new Error(reason);
  console.warn(`skipping the dcm2niix test: ${reason}`);
  return false;
}

describe.runIf(realDataAvailable())("importDcm2niix on dcm2niix's own output", () => {
  it("imports three series that share series number 2 as scans 2, 2-2 and 2-3", async () => {
    const out = join(work, "MR2");
    mkdirSync(out);
    const run = spawnSync(
      DCM2NIIX,
      ["-b", "y", "-ba", "n", "-z", "y", "-f", "%p_%s", "-o", out, DICOM_SERIES],
      {
        encoding: "utf8",
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const { session, warnings } = await importDcm2niix({
      from: out,
      archive: archiveRoot,
      project: "DCM",
    });
    expect(warnings).toEqual([]);
    expect(session["subject-id"]).toBe("98890234"); // PatientID, kept by -ba n
    expect(
      session.scans.map((scan) => [
        scan.id,
        scan["scan-type"],
        scan.frames,
        scan.modality,
        scan["scanner-manufacturer"],
        scan.resources.map((r) => r.files.length),
      ]),
    ).toEqual([
      ["2", "FAST LOCALIZER", 1, "MR", "Philips", [1, 1]],
      ["2-2", "T/S/C RF FAST PILOT", 1, "MR", "Philips", [3, 3]],
      ["2-3", "T/S/C RF FAST PILOT", 1, "MR", "Philips", [3, 3]],
    ]);
    expect(new Set(session.scans.map((scan) => scan.uid)).size).toBe(3);
  });
});
