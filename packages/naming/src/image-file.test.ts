import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NameError, NamingError, SidecarError } from "./errors.js";
import { ImageFile } from "./image-file.js";

const T1 = "STUDY-0001_1_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE";
let root: string;
let session: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "image-file-")));
  session = join(root, "study", "STUDY-0001", "1");
  mkdirSync(join(session, "nii"), { recursive: true });
  mkdirSync(join(session, "stage"), { recursive: true });
  writeFileSync(join(session, "nii", `${T1}.nii.gz`), "");
  // As Python's json.dump writes it: NaN is a valid token there.
  writeFileSync(
    join(session, "nii", `${T1}.json`),
    '{\n    "SeriesInfo": {\n        "SeriesDescription": "SAG T1",\n        "SliceSpacing": NaN,\n        "SliceThickness": 1.0\n    }\n}',
  );
  writeFileSync(
    join(session, "nii", "BROKEN_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.json"),
    '{"SeriesInfo": {',
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("ImageFile", () => {
  it("is equal by path, not by object", () => {
    const a = new ImageFile(join(session, "nii", "..", "nii", `${T1}.nii.gz`));
    const b = new ImageFile(join(session, "nii", `${T1}.nii.gz`));
    expect(a).not.toBe(b);
    expect(a.equals(b)).toBe(true);
    expect(new Set([a.key, b.key]).size).toBe(1);
    expect(a.compareTo(b)).toBe(0);
  });

  it("names study and series numbers correctly and keeps the original's seriesId", () => {
    const image = new ImageFile(`/x/nii/S_1_12-34_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz`);
    expect([image.studyNumber, image.seriesNumber, image.seriesId]).toEqual(["12", "34", "12"]);
  });

  it("throws NameError only when a missing component is read", () => {
    const image = new ImageFile("/x/nii/S_1_01-03_BRAIN-T1.nii.gz");
    expect(image.modality).toBe("T1");
    expect(image.extras).toEqual([]);
    expect(() => image.acqdim).toThrow(NameError);
    try {
      image.excontrast;
    } catch (error) {
      expect((error as NameError).code).toBe("E_NAME_MISSING");
      expect((error as NameError).message).toMatch(/image type has 2 of 6 components/);
    }
  });

  it("gives read-only extras and tags", () => {
    const image = new ImageFile("/x/proc/S_1_01-03_BRAIN-T2-FSE-2D-AXIAL-PRE-ECHO1_n4.nii.gz");
    expect(() => (image.extras as string[]).push("MAG")).toThrow(TypeError);
    expect(() => (image.tags as string[]).pop()).toThrow(TypeError);
    expect(image.extras).toEqual(["ECHO1"]);
  });

  it("derives processed names in the same or another session folder", () => {
    const image = new ImageFile(join(session, "nii", `${T1}.nii.gz`));
    const n4 = image.inDir("proc").withTags("n4");
    expect(n4.path).toBe(join(session, "proc", `${T1}_n4.nii.gz`));
    expect(n4.withTags("reg").tags).toEqual(["n4", "reg"]);
    expect(image.withExt(".json").path).toBe(join(session, "nii", `${T1}.json`));
    expect(() => image.withTags("n_4")).toThrow(NameError);
    // Only tags that parseName accepts back.
    expect(() => image.withTags("a+b")).toThrow(NameError);
    expect(() => new ImageFile("/x/y.nii.gz").inDir("proc")).toThrow(NamingError);
  });

  it("reads the sidecar of nii/ and stage/ images, with Python's NaN", async () => {
    const staged = new ImageFile(join(session, "stage", `${T1}_hdrfix.nii.gz`));
    expect(staged.infoPath).toBe(join(session, "nii", `${T1}.json`));
    expect(staged.info.get("series_description")).toBe("SAG T1");
    expect(Number.isNaN(staged.info.get("SliceSpacing"))).toBe(true);
    const raw = new ImageFile(join(session, "nii", `${T1}.nii.gz`));
    expect((await raw.readInfo()).get("SliceThickness")).toBe(1);
  });

  it("explains sidecar problems with typed errors", async () => {
    const missing = new ImageFile(
      join(session, "nii", "NONE_1_01-02_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz"),
    );
    await expect(missing.readInfo()).rejects.toMatchObject({ code: "E_SIDECAR_READ" });
    const broken = new ImageFile(
      join(session, "nii", "BROKEN_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz"),
    );
    expect(() => broken.info).toThrow(/invalid JSON: .* at line 1, column \d+/);
    const elsewhere = new ImageFile(join(session, "qa", `${T1}.png`));
    expect(() => elsewhere.info).toThrow(SidecarError);
  });

  it("follows links like Path.resolve() with real(), and not without", () => {
    const link = join(root, "link-to-session");
    symlinkSync(session, link);
    const viaLink = join(link, "nii", `${T1}.nii.gz`);
    expect(new ImageFile(viaLink).path).toBe(viaLink);
    expect(ImageFile.real(viaLink).path).toBe(join(session, "nii", `${T1}.nii.gz`));
    // `..` after a link leaves the link's target, as in Python.
    expect(ImageFile.real(`${link}/../x`).path).toBe(join(root, "study", "STUDY-0001", "x"));
    expect(ImageFile.real(`${root}/no/such/../file`).path).toBe(join(root, "no", "file"));
    // A batch shares what it learns and gives the same answers.
    const batch = [viaLink, `${link}/../x`, `${root}/no/such/../file`, viaLink];
    expect(ImageFile.realAll(batch).map((img) => img.path)).toEqual(
      batch.map((p) => ImageFile.real(p).path),
    );
  });

  it("relates to folders", () => {
    const image = new ImageFile(join(session, "nii", `${T1}.nii.gz`));
    expect(image.relativeTo(root)).toBe(join("study", "STUDY-0001", "1", "nii", `${T1}.nii.gz`));
    expect(image.isRelativeTo(join(root, "stud"))).toBe(false);
    expect(() => image.relativeTo("/elsewhere")).toThrow(NamingError);
  });
});
