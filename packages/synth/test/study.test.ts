import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ImageFile, parseSeriesInfo } from "@radifox/naming";
import { axcodes, qformAffine, readImage, sformAffine } from "@radifox/nifti";
import { afterAll, describe, expect, it } from "vitest";
import {
  BENCH_PROTOCOL,
  generateStudy,
  type ImageSpec,
  MP2RAGE_SETS,
  protocolImages,
} from "../src/index.js";

const SHAPE = [16, 16, 12] as const;
const scratch = mkdtempSync(join(tmpdir(), "synth-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const freshRoot = () => join(scratch, `study-${++counter}`);

const dataHash = async (path: string) => {
  const image = await readImage(path);
  const { data } = image;
  return createHash("sha256")
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest("hex");
};

describe("generateStudy with the bench protocol", async () => {
  const progress: [number, number][] = [];
  const study = await generateStudy({
    root: freshRoot(),
    shape: SHAPE,
    subjects: 2,
    sessions: 2,
    onProgress: (done, total) => progress.push([done, total]),
  });
  const images = study.subjects.flatMap((s) => s.sessions.flatMap((session) => session.images));

  it("lays out subjects, sessions and nii/ folders", () => {
    expect(study.subjects.map((s) => s.id)).toEqual(["BENCH-0001", "BENCH-0002"]);
    const subject = study.subjects[0]!;
    expect(subject.dir).toBe(join(study.root, "BENCH-0001"));
    expect(subject.sessions.map((s) => s.id)).toEqual(["1", "2"]);
    expect(subject.sessions[1]!.dir).toBe(join(study.root, "BENCH-0001", "2"));
    expect(readdirSync(study.root).sort()).toEqual(["BENCH-0001", "BENCH-0002"]);
    expect(images).toHaveLength(2 * 2 * 12);
    expect(study.files).toBe(2 * images.length);
    const sizes = images.reduce((sum, path) => {
      const json = path.replace(/\.nii\.gz$/, ".json");
      return sum + readFileSync(path).length + readFileSync(json).length;
    }, 0);
    expect(study.bytes).toBe(sizes);
    expect(progress).toHaveLength(48);
    expect(progress.at(-1)).toEqual([48, 48]);
  });

  it("writes the 12 benchmark images with names ImageFile parses", () => {
    const session = study.subjects[0]!.sessions[0]!;
    const names = session.images.map((path) => basename(path));
    expect(names).toEqual([
      "BENCH-0001_1_01-02_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE.nii.gz",
      "BENCH-0001_1_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO1.nii.gz",
      "BENCH-0001_1_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO2.nii.gz",
      "BENCH-0001_1_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO3.nii.gz",
      "BENCH-0001_1_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO4.nii.gz",
      "BENCH-0001_1_01-04_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz",
      "BENCH-0001_1_01-05_BRAIN-FLAIR-IRFSE-3D-SAGITTAL-PRE.nii.gz",
      "BENCH-0001_1_01-06_BRAIN-PD-FSE-2D-AXIAL-PRE.nii.gz",
      "BENCH-0001_1_01-07_BRAIN-T1-SE-2D-AXIAL-POST.nii.gz",
      "BENCH-0001_1_01-08_BRAIN-T1-IRFSPGR-3D-SAGITTAL-POST.nii.gz",
      "BENCH-0001_1_01-09_BRAIN-DIFF-EPI-2D-AXIAL-PRE-ND.nii.gz",
      "BENCH-0001_1_01-10_BRAIN-SWI-GRE-3D-AXIAL-PRE.nii.gz",
    ]);
    const files = session.images.map((path) => new ImageFile(path));
    expect(files[1]).toMatchObject({
      subjectId: "BENCH-0001",
      sessionId: "1",
      studyNumber: "01",
      seriesNumber: "03",
      modality: "T1",
      technique: "IRFSPGR",
      acqdim: "3D",
      orientation: "SAGITTAL",
      excontrast: "PRE",
      extras: ["ECHO1"],
    });
    expect(files[10]).toMatchObject({ modality: "DIFF", acqdim: "2D", extras: ["ND"] });
    expect(files[11]).toMatchObject({ modality: "SWI", technique: "GRE", extras: [] });
    expect(files.filter((f) => f.extras.includes("ND"))).toHaveLength(1);
  });

  it("writes a sidecar beside every image, as radifox-convert does", () => {
    for (const path of images) {
      const file = new ImageFile(path);
      const json = path.replace(/\.nii\.gz$/, ".json");
      expect(existsSync(json)).toBe(true);
      const text = readFileSync(json, "utf8");
      expect(JSON.parse(text).__version__).toEqual({ radifox: "synth" });
      expect(file.info.get("NiftiName")).toBe(basename(path, ".nii.gz"));
      expect(file.info.get("MagneticFieldStrength")).toBe(3);
    }
    const [t1, , , , , t2] = study.subjects[0]!.sessions[0]!.images.map((p) => new ImageFile(p));
    expect(t1!.info.get("AcquiredResolution")).toEqual([1, 1]);
    expect(t1!.info.get("SliceSpacing")).toBeNull();
    expect(t1!.info.get("SliceThickness")).toBe(1);
    expect(t2!.info.get("SliceSpacing")).toBe(3);
    expect(t2!.info.get("SeriesDescription")).toBe("AX T2 FSE");
    const pd = new ImageFile(study.subjects[0]!.sessions[0]!.images[7]!);
    expect(pd.info.get("SliceSpacing")).toBe(3.3);
    expect(pd.info.get("SliceThickness")).toBe(3);
  });

  it("renders the sidecar text byte for byte as json.dumps(indent=4, sort_keys=True)", () => {
    const path = study.subjects[0]!.sessions[0]!.images[5]!.replace(/\.nii\.gz$/, ".json");
    const text = readFileSync(path, "utf8");
    expect(text.startsWith('{\n    "Metadata": {\n        "ProjectID": "BENCH",\n')).toBe(true);
    expect(text).toContain('\n        "AcquiredResolution": [0.9375, 0.9375],\n');
    expect(text).toContain('\n        "MagneticFieldStrength": 3.0,\n');
    expect(text).toContain('\n        "SliceSpacing": 3.0,\n');
    expect(text).toContain('\n        "LookupName": [null, null, null, null, null, null],\n');
    expect(text.endsWith('    "__version__": {\n        "radifox": "synth"\n    }\n}')).toBe(true);
    const keys = Object.keys(JSON.parse(text).SeriesInfo);
    expect(keys).toEqual([...keys].sort());
    expect(parseSeriesInfo(text, path).get("slice_thickness")).toBe(3);
  });

  it("writes images readImage loads, with qform = sform, both code 1", async () => {
    for (const path of study.subjects[0]!.sessions[0]!.images) {
      const image = await readImage(path);
      expect(image.shape).toEqual([...SHAPE]);
      expect(image.data).toBeInstanceOf(Int16Array);
      expect(image.header.qformCode).toBe(1);
      expect(image.header.sformCode).toBe(1);
      const q = qformAffine(image.header).flat();
      const s = sformAffine(image.header).flat();
      for (const [i, value] of q.entries()) expect(value).toBeCloseTo(s[i]!, 4);
    }
  });

  it("orients and scales the volumes as radifox-convert leaves them", async () => {
    const [t1, , , , , t2] = study.subjects[0]!.sessions[0]!.images;
    const sagittal = await readImage(t1!);
    expect(axcodes(sagittal.affine)).toEqual(["P", "I", "L"]);
    expect(sagittal.header.pixdim.slice(1, 4)).toEqual([1, 1, 1]);
    const axial = await readImage(t2!);
    expect(axcodes(axial.affine)).toEqual(["L", "P", "S"]);
    expect(axial.header.pixdim.slice(1, 4)).toEqual([Math.fround(0.9375), Math.fround(0.9375), 3]);
    // The centre of the volume is the world origin.
    const a = axial.affine;
    const centre = [0, 1, 2].map(
      (r) => a[r]![0]! * 7.5 + a[r]![1]! * 7.5 + a[r]![2]! * 5.5 + a[r]![3]!,
    );
    for (const value of centre) expect(value).toBeCloseTo(0, 4);
  });

  it("gives the MEMPRAGE echoes one anatomy, decaying with echo time", async () => {
    const echoes = await Promise.all(
      study.subjects[0]!.sessions[0]!.images.slice(1, 5).map((path) => readImage(path)),
    );
    const means = echoes.map((e) => Array.from(e.getFloatData()).reduce((sum, v) => sum + v, 0));
    for (let i = 1; i < 4; i++) expect(means[i]!).toBeLessThan(means[i - 1]!);
  });
});

describe("determinism", () => {
  it("writes identical data for the same seed and different data for another", async () => {
    const run = (seed: number) =>
      generateStudy({ root: freshRoot(), shape: SHAPE, sessions: 1, images: 3, seed });
    const [a, b, c] = await Promise.all([run(5), run(5), run(6)]);
    const images = (s: typeof a) => s.subjects[0]!.sessions[0]!.images;
    for (let i = 0; i < 3; i++) {
      const hash = await dataHash(images(a)[i]!);
      expect(await dataHash(images(b)[i]!)).toBe(hash);
      expect(await dataHash(images(c)[i]!)).not.toBe(hash);
      const json = (s: typeof a) => readFileSync(images(s)[i]!.replace(/\.nii\.gz$/, ".json"));
      expect(json(b).equals(json(a))).toBe(true);
    }
    // Sessions and subjects differ from each other too.
    const two = await generateStudy({ root: freshRoot(), shape: SHAPE, sessions: 2, images: 1 });
    const [s1, s2] = two.subjects[0]!.sessions;
    expect(await dataHash(s1!.images[0]!)).not.toBe(await dataHash(s2!.images[0]!));
  });
});

describe("options", () => {
  it("takes the first N images, a project, float32 and an oblique tilt", async () => {
    const study = await generateStudy({
      root: freshRoot(),
      project: "demo",
      sessions: 1,
      images: 2,
      shape: SHAPE,
      dtype: "float32",
      oblique: 10,
      concurrency: 1,
    });
    const session = study.subjects[0]!.sessions[0]!;
    expect(study.subjects[0]!.id).toBe("DEMO-0001");
    expect(session.images).toHaveLength(2);
    const image = await readImage(session.images[0]!);
    expect(image.data).toBeInstanceOf(Float32Array);
    expect(image.header.qformCode).toBe(1);
    const a = image.affine;
    // PIL tilted by 10 degrees about x: the second voxel axis (I) leans towards A or P.
    expect(Math.abs(a[1]![1]!)).toBeCloseTo(Math.sin((10 * Math.PI) / 180), 5);
    expect(axcodes(a)).toEqual(["P", "I", "L"]);
  });

  it("accepts a custom protocol", async () => {
    const spec: ImageSpec = {
      study: 2,
      series: 1,
      bodypart: "CSPINE",
      modality: "T2",
      technique: "FSE",
      acqdim: "2D",
      orientation: "SAGITTAL",
      excontrast: "PRE",
      extras: ["ACQ1"],
      description: "SAG T2 C-SPINE",
      resolution: [0.5, 0.5],
      thickness: 3,
      spacing: 3.5,
      info: { EchoTime: 90 },
    };
    const study = await generateStudy({
      root: freshRoot(),
      protocol: [spec],
      sessions: 1,
      shape: SHAPE,
    });
    const path = study.subjects[0]!.sessions[0]!.images[0]!;
    expect(basename(path)).toBe("BENCH-0001_1_02-01_CSPINE-T2-FSE-2D-SAGITTAL-PRE-ACQ1.nii.gz");
    const file = new ImageFile(path);
    expect(file.info.get("EchoTime")).toBe(90);
    expect(file.info.get("SliceSpacing")).toBe(3.5);
    const image = await readImage(path);
    expect(image.header.pixdim.slice(1, 4)).toEqual([0.5, 0.5, 3.5]);
  });

  it("refuses bad options before writing anything", async () => {
    const root = freshRoot();
    const bad = (options: object) => generateStudy({ root, shape: SHAPE, ...options });
    await expect(bad({ shape: [16, 16] })).rejects.toThrow(/shape/);
    await expect(bad({ images: 13 })).rejects.toThrow(/images must be an integer from 1 to 12/);
    await expect(bad({ subjects: 0 })).rejects.toThrow(/subjects/);
    await expect(bad({ project: "A_B" })).rejects.toThrow(/project/);
    await expect(bad({ dtype: "uint8" })).rejects.toThrow(/dtype/);
    await expect(bad({ protocol: "bench", mp2rage: "complex" })).rejects.toThrow(/mp2rage/);
    await expect(bad({ protocol: "other" })).rejects.toThrow(/protocol/);
    await expect(bad({ oblique: 90 })).rejects.toThrow(/oblique/);
    const twice = [BENCH_PROTOCOL[0]!, BENCH_PROTOCOL[0]!];
    await expect(bad({ protocol: twice })).rejects.toThrow(/repeats/);
    const badName = [{ ...BENCH_PROTOCOL[0]!, modality: "T1_X" }];
    await expect(bad({ protocol: badName })).rejects.toThrow(/modality/);
    expect(existsSync(root)).toBe(false);
  });

  it("stops when the signal aborts", async () => {
    const controller = new AbortController();
    const promise = generateStudy({
      root: freshRoot(),
      shape: SHAPE,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error("stop")),
    });
    await expect(promise).rejects.toThrow("stop");
  });
});

describe("the mp2rage protocol", () => {
  it("lists the benchmark's images and then the set", () => {
    expect(BENCH_PROTOCOL).toHaveLength(12);
    expect(protocolImages()).toBe(BENCH_PROTOCOL);
    expect(protocolImages("mp2rage")).toHaveLength(16);
    expect(protocolImages("mp2rage", "magnitude")).toHaveLength(14);
    expect(MP2RAGE_SETS.magphase.map((s) => s.extras)).toEqual([
      ["INV1", "MAG"],
      ["INV1", "PHA"],
      ["INV2", "MAG"],
      ["INV2", "PHA"],
    ]);
  });

  it("writes a complex set whose inversions share the receive phase", async () => {
    const study = await generateStudy({
      root: freshRoot(),
      mp2rage: "complex",
      sessions: 1,
      shape: SHAPE,
    });
    const images = study.subjects[0]!.sessions[0]!.images;
    expect(images).toHaveLength(16);
    const set = images.slice(12).map((path) => new ImageFile(path));
    expect(set.map((f) => f.extras)).toEqual([
      ["INV1", "REA"],
      ["INV1", "IMA"],
      ["INV2", "REA"],
      ["INV2", "IMA"],
    ]);
    expect(set.map((f) => f.seriesNumber)).toEqual(["11", "11", "12", "12"]);
    expect(set.map((f) => f.info.get("ComplexImageComponent"))).toEqual([
      "REAL",
      "IMAGINARY",
      "REAL",
      "IMAGINARY",
    ]);
    expect(set[0]!.info.get("InversionTime")).toBe(700);
    const [r1, i1, r2, i2] = await Promise.all(
      set.map(async (f) => (await readImage(f.path)).getFloatData("float64")),
    );
    // conj(S1) * S2 is real up to the noise when both share the phase; INV1 goes negative.
    let real = 0;
    let imaginary = 0;
    let negative = 0;
    for (let i = 0; i < r1!.length; i++) {
      const a = r1![i]!;
      const b = i1![i]!;
      const c = r2![i]!;
      const d = i2![i]!;
      real += Math.abs(a * c + b * d);
      imaginary += Math.abs(a * d - b * c);
      if (a * c + b * d < 0) negative++;
    }
    expect(imaginary / real).toBeLessThan(0.15);
    expect(negative).toBeGreaterThan(0);
  });

  it("writes magnitude/phase and magnitude-only sets from the same data", async () => {
    const options = { sessions: 1, shape: SHAPE, seed: 3 } as const;
    const complex = await generateStudy({ root: freshRoot(), ...options, mp2rage: "complex" });
    const magphase = await generateStudy({
      root: freshRoot(),
      ...options,
      protocol: "mp2rage",
      mp2rage: "magphase",
    });
    const read = async (s: typeof complex) =>
      Promise.all(
        s.subjects[0]!.sessions[0]!.images.slice(12).map(async (p) => (await readImage(p)).data),
      );
    const [re, im] = await read(complex);
    const [mag, pha] = await read(magphase);
    for (let i = 0; i < re!.length; i++) {
      const r = Number(re![i]);
      const m = Number(im![i]);
      expect(Math.abs(Number(mag![i]) - Math.hypot(r, m))).toBeLessThanOrEqual(1.5);
      const phase = Number(pha![i]);
      expect(phase).toBeGreaterThanOrEqual(-4096);
      expect(phase).toBeLessThanOrEqual(4095);
    }
    const magnitude = await generateStudy({ root: freshRoot(), ...options, mp2rage: "magnitude" });
    const names = magnitude.subjects[0]!.sessions[0]!.images.slice(12).map((p) => basename(p));
    expect(names).toEqual([
      "BENCH-0001_1_01-11_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-INV1-MAG.nii.gz",
      "BENCH-0001_1_01-12_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-INV2-MAG.nii.gz",
    ]);
  });
});
