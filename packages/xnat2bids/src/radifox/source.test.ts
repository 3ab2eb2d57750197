// Planning a real synthetic RADIFOX study. The expected names are derived here from the
// documented rules and the synth's protocol, independently of the mapping code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateStudy, type ImageSpec, protocolImages } from "@radifox/synth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBidsName } from "../bids/names.js";
import { placeBidsName } from "../bids/rules.js";
import type { ConversionPlan } from "../plan.js";
import { planRadifoxStudy } from "./source.js";

const PROTOCOL = protocolImages("mp2rage", "magphase");
const SUFFIX: Record<string, string> = {
  T1: "T1w",
  T2: "T2w",
  PD: "PDw",
  FLAIR: "FLAIR",
  T2STAR: "T2starw",
  TOF: "angio",
  DIFF: "dwi",
};
const ORIENTATION: Record<string, string> = { AXIAL: "ax", SAGITTAL: "sag", CORONAL: "cor" };
const PART: Record<string, string> = { MAG: "mag", PHA: "phase", REA: "real", IMA: "imag" };
const ORDER = ["sub", "ses", "acq", "ce", "rec", "run", "echo", "inv", "part"];

/** `<datatype>/<stem>` of a protocol image in sub-<sub>/ses-<ses>, or undefined if unmapped. */
function expectedStem(spec: ImageSpec, sub: string, ses: string): string | undefined {
  let suffix = SUFFIX[spec.modality];
  if (suffix === undefined) return undefined;
  const e: Record<string, string> = { sub, ses };
  const bodypart = spec.bodypart === "BRAIN" ? "" : spec.bodypart;
  e.acq = bodypart + spec.technique + spec.acqdim + (ORIENTATION[spec.orientation] ?? "");
  if (spec.excontrast === "POST") e.ce = "gadolinium";
  for (const extra of spec.extras ?? []) {
    const number = extra.match(/\d+$/)?.[0] ?? "";
    if (extra.startsWith("ECHO")) e.echo = number;
    else if (extra.startsWith("INV")) {
      e.inv = number;
      if (suffix === "T1w") suffix = "MP2RAGE";
    } else if (PART[extra]) e.part = PART[extra] as string;
    else if (extra === "ND") e.rec = "nd";
    else throw new Error(`test does not know extra ${extra}`);
  }
  const stem = ORDER.filter((k) => e[k] !== undefined).map((k) => `${k}-${e[k]}`);
  return `${suffix === "dwi" ? "dwi" : "anat"}/${[...stem, suffix].join("_")}`;
}

/** Every target parses, places in its own folder, and names the plan's subject and session. */
function expectValidTargets(plan: ConversionPlan): void {
  const targets = plan.files.map((f) => f.target);
  expect(new Set(targets).size).toBe(targets.length);
  for (const file of plan.files) {
    const [sub, ses, datatype, name, ...rest] = file.target.split("/");
    expect(rest).toEqual([]);
    expect(sub).toBe(`sub-${file.subject}`);
    expect(ses).toBe(`ses-${file.session}`);
    const parsed = parseBidsName(name as string);
    if (!parsed.ok) throw new Error(`${file.target}: ${JSON.stringify(parsed.problems)}`);
    const placed = placeBidsName(parsed.name);
    if (!placed.ok) throw new Error(`${file.target}: ${placed.reason}`);
    expect(placed.rule.datatype).toBe(datatype);
    expect(file.source === undefined).toBe(file.content !== undefined);
  }
}

describe("planRadifoxStudy on a synthetic study", () => {
  let root: string;
  let plan: ConversionPlan;

  beforeAll(async () => {
    root = join(mkdtempSync(join(tmpdir(), "xnat2bids-radifox-")), "bench");
    await generateStudy({
      root,
      subjects: 2,
      sessions: 2,
      protocol: "mp2rage",
      mp2rage: "magphase",
      shape: [8, 8, 4],
    });
    plan = planRadifoxStudy(root);
  });
  afterAll(() => rmSync(join(root, ".."), { recursive: true, force: true }));

  it("plans exactly the mapped images of a session, each with its sidecar", () => {
    const stems = PROTOCOL.map((spec) => expectedStem(spec, "0001", "1")).filter(
      (s): s is string => s !== undefined,
    );
    const expected = stems.flatMap((s) => [
      `sub-0001/ses-1/${s}.nii.gz`,
      `sub-0001/ses-1/${s}.json`,
    ]);
    const planned = plan.files.map((f) => f.target).filter((t) => t.startsWith("sub-0001/ses-1/"));
    expect(planned.sort()).toEqual(expected.sort());
    expect(planned).toContain(
      "sub-0001/ses-1/anat/sub-0001_ses-1_acq-IRFSPGR3Dsag_echo-1_T1w.nii.gz",
    );
    expect(planned).toContain(
      "sub-0001/ses-1/anat/sub-0001_ses-1_acq-IRFSPGR3Dsag_inv-1_part-mag_MP2RAGE.nii.gz",
    );
    expect(planned).toContain(
      "sub-0001/ses-1/anat/sub-0001_ses-1_acq-SE2Dax_ce-gadolinium_T1w.nii.gz",
    );
    expect(planned).toContain("sub-0001/ses-1/dwi/sub-0001_ses-1_acq-EPI2Dax_rec-nd_dwi.json");
  });

  it("plans every session alike and every target is a valid BIDS path", () => {
    const mapped = PROTOCOL.filter((spec) => expectedStem(spec, "x", "y") !== undefined);
    expect(plan.files).toHaveLength(2 * 2 * mapped.length * 2);
    for (const sub of ["0001", "0002"]) {
      for (const ses of ["1", "2"]) {
        expect(plan.files.filter((f) => f.subject === sub && f.session === ses)).toHaveLength(
          mapped.length * 2,
        );
      }
    }
    expectValidTargets(plan);
    expect(plan.input).toBe("radifox");
    expect(plan.found).toBe(2 * 2 * PROTOCOL.length);
    expect(plan.descriptions).toEqual([]);
    expect(plan.findings).toEqual([]);
  });

  it("links the images and writes converted sidecars", () => {
    const name = "sub-0001_ses-1_acq-IRFSPGR3Dsag_echo-2_T1w";
    const image = plan.files.find((f) => f.target.endsWith(`${name}.nii.gz`));
    expect(image?.source).toBe(
      join(
        root,
        "BENCH-0001/1/nii/BENCH-0001_1_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO2.nii.gz",
      ),
    );
    expect(image?.why).toBe(
      "RADIFOX BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO2: T1→T1w, ECHO2→echo-2, acq from IRFSPGR 3D SAGITTAL",
    );
    const sidecar = plan.files.find((f) => f.target.endsWith(`${name}.json`));
    const spec = PROTOCOL.find((s) => s.series === 3 && s.extras?.[0] === "ECHO2");
    const json = JSON.parse(sidecar?.content ?? "{}");
    expect(json.EchoTime).toBe(0.0036);
    expect(json.EchoTime * 1000).toBeCloseTo(spec?.info?.EchoTime as number, 9);
    expect(json.RepetitionTime).toBe(2.53);
    expect(json.SeriesDescription).toBe(spec?.description);
    expect(json).not.toHaveProperty("SeriesUID");
    expect(sidecar?.content?.endsWith("}\n")).toBe(true);
  });

  it("skips the SWI images, naming the modality and how to map it", () => {
    expect(plan.skipped).toHaveLength(4);
    for (const skipped of plan.skipped) {
      expect(skipped.source).toMatch(/_01-10_BRAIN-SWI-GRE-3D-AXIAL-PRE\.nii\.gz$/);
      expect(skipped.base).toBeUndefined();
      expect(skipped.reason).toContain("modality SWI");
      expect(skipped.reason).toContain('"modalities": {"SWI"');
    }
  });

  it("names the task in the sidecar of a bold image a table makes", () => {
    const custom = planRadifoxStudy(root, {
      mapping: { modalities: { SWI: "bold" }, excontrast: { PRE: { task: "rest" } } },
    });
    const name = "sub-0001_ses-1_task-rest_acq-GRE3Dax_bold";
    const sidecar = custom.files.find((f) => f.target === `sub-0001/ses-1/func/${name}.json`);
    expect(JSON.parse(sidecar?.content ?? "{}")).toMatchObject({ TaskName: "rest" });
    const t2 = custom.files.find((f) => f.target.endsWith("_task-rest_acq-FSE2Dax_T2w.json"));
    expect(JSON.parse(t2?.content ?? "{}")).toMatchObject({ TaskName: "rest" });
  });

  it("follows an override table that maps SWI and removes a default", () => {
    const custom = planRadifoxStudy(root, {
      mapping: { modalities: { SWI: "T2starw", PD: null } },
    });
    const targets = custom.files.map((f) => f.target);
    expect(targets).toContain("sub-0002/ses-2/anat/sub-0002_ses-2_acq-GRE3Dax_T2starw.nii.gz");
    expect(targets.some((t) => t.includes("PDw"))).toBe(false);
    expect(custom.skipped.map((s) => s.source).every((s) => s.includes("-PD-"))).toBe(true);
    expect(custom.skipped[0]?.reason).toContain("modality PD");
    expectValidTargets(custom);
  });
});

describe("planRadifoxStudy on hand-built studies", () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(join(root, ".."), { recursive: true, force: true });
  });

  /** A new empty study folder named `study` (so the project prefix comes from the folders). */
  function study(): string {
    const root = join(mkdtempSync(join(tmpdir(), "xnat2bids-radifox-")), "study");
    mkdirSync(root);
    roots.push(root);
    return root;
  }

  /** Writes `<subject>/<session>/nii/<subject>_<session>_<id>_<type>.nii.gz` and its sidecar. */
  function image(
    root: string,
    [subject, session]: [string, string],
    id: string,
    type: string,
    options: { sidecar?: false; also?: string[] } = {},
  ): string {
    const dir = join(root, subject, session, "nii");
    mkdirSync(dir, { recursive: true });
    const stem = `${subject}_${session}_${id}_${type}`;
    // Headers are not read (frames: false), so any bytes do.
    writeFileSync(join(dir, `${stem}.nii.gz`), "not a real image");
    if (options.sidecar !== false) {
      const info = { EchoTime: 100, SeriesDescription: stem };
      writeFileSync(join(dir, `${stem}.json`), JSON.stringify({ SeriesInfo: info }));
    }
    for (const ext of options.also ?? []) writeFileSync(join(dir, stem + ext), "");
    return join(dir, `${stem}.nii.gz`);
  }

  const targetOf = (plan: ConversionPlan, source: string) =>
    plan.files.find((f) => f.source === source)?.target;
  const reasonOf = (plan: ConversionPlan, source: string) =>
    plan.skipped.find((s) => s.source === source)?.reason;

  it("numbers runs in image-id order when names collide", () => {
    const root = study();
    const at: [string, string] = ["P-01", "1"];
    const t2 = "BRAIN-T2-FSE-2D-AXIAL-PRE";
    const late = image(root, at, "02-01", t2);
    const hundred = image(root, at, "01-100", t2);
    const first = image(root, at, "01-99", t2);
    const pd = image(root, at, "01-03", "BRAIN-PD-FSE-2D-AXIAL-PRE");
    const dyn = ["01-05", "01-06"].flatMap((id) =>
      ["DYN1", "DYN2"].map((d) => image(root, at, id, `BRAIN-T1-SE-2D-AXIAL-PRE-${d}`)),
    );
    const plan = planRadifoxStudy(root);
    const base = "sub-01/ses-1/anat/sub-01_ses-1_acq-FSE2Dax";
    expect(targetOf(plan, first)).toBe(`${base}_run-1_T2w.nii.gz`);
    expect(targetOf(plan, hundred)).toBe(`${base}_run-2_T2w.nii.gz`);
    expect(targetOf(plan, late)).toBe(`${base}_run-3_T2w.nii.gz`);
    expect(targetOf(plan, pd)).toBe(`${base}_PDw.nii.gz`);
    expect(plan.files.find((f) => f.source === hundred)?.why).toContain(
      "run-2: 2 of 3 images of the session named sub-01_ses-1_acq-FSE2Dax_T2w, in image-id order",
    );
    expect(dyn.map((d) => targetOf(plan, d))).toEqual(
      [1, 2, 3, 4].map((n) => `sub-01/ses-1/anat/sub-01_ses-1_acq-SE2Dax_run-${n}_T1w.nii.gz`),
    );
    expect(plan.findings).toEqual([]);
    expectValidTargets(plan);
  });

  it("plans .bval/.bvec, takes the .nii.gz over the .nii, warns about a missing sidecar", () => {
    const root = study();
    const at: [string, string] = ["P-01", "1"];
    const dwi = image(root, at, "01-04", "BRAIN-DIFF-EPI-2D-AXIAL-PRE", {
      also: [".bval", ".bvec", ".nii", ".txt"],
    });
    const bare = image(root, at, "01-05", "BRAIN-T2-FSE-2D-AXIAL-PRE", { sidecar: false });
    const plan = planRadifoxStudy(root);
    const stem = "sub-01/ses-1/dwi/sub-01_ses-1_acq-EPI2Dax_dwi";
    const source = dwi.replace(/\.nii\.gz$/, "");
    expect(plan.files.map((f) => [f.target, f.source])).toEqual([
      [`${stem}.nii.gz`, dwi],
      [`${stem}.bval`, `${source}.bval`],
      [`${stem}.bvec`, `${source}.bvec`],
      [`${stem}.json`, undefined],
      ["sub-01/ses-1/anat/sub-01_ses-1_acq-FSE2Dax_T2w.nii.gz", bare],
    ]);
    expect(JSON.parse(plan.files[3]?.content ?? "")).toEqual({
      EchoTime: 0.1,
      SeriesDescription: "P-01_1_01-04_BRAIN-DIFF-EPI-2D-AXIAL-PRE",
    });
    expect(plan.files[1]?.why).toMatch(/^RADIFOX BRAIN-DIFF-EPI-2D-AXIAL-PRE: DIFF→dwi, .*\.bval$/);
    expect(reasonOf(plan, `${source}.nii`)).toBe("the .nii.gz of the same image is taken");
    expect(reasonOf(plan, `${source}.txt`)).toBe("BIDS has no .txt file beside dwi");
    expect(plan.findings.map((f) => [f.severity, f.code, f.path])).toEqual([
      ["warning", "E_SIDECAR_MISSING", bare.replace(/\.nii\.gz$/, ".json")],
      ["warning", "SIDECAR_MISSING", bare],
    ]);
    expectValidTargets(plan);
  });

  it("plans an image whose sidecar cannot be read without one", () => {
    const root = study();
    const source = image(root, ["P-01", "1"], "01-01", "BRAIN-T1-SE-2D-AXIAL-PRE");
    const sidecar = source.replace(/\.nii\.gz$/, ".json");
    writeFileSync(sidecar, "{ not json");
    const plan = planRadifoxStudy(root);
    expect(plan.files.map((f) => f.target)).toEqual([
      "sub-01/ses-1/anat/sub-01_ses-1_acq-SE2Dax_T1w.nii.gz",
    ]);
    expect(reasonOf(plan, sidecar)).toMatch(/^cannot use the sidecar: .*invalid JSON/);
    expect(plan.findings.map((f) => [f.code, f.path])).toEqual([["E_SIDECAR_JSON", sidecar]]);
  });

  it("skips processed, unmapped and unplaceable images with the reason", () => {
    const root = study();
    const at: [string, string] = ["P-01", "1"];
    const tagged = image(root, at, "01-02", "BRAIN-T2-FSE-2D-AXIAL-PRE_n4");
    const pos = image(root, at, "01-03", "BRAIN-T2-FSE-2D-AXIAL-PRE-POS1");
    const flair = image(root, at, "01-04", "BRAIN-FLAIR-IRFSE-3D-SAGITTAL-PRE-INV1");
    const dwi = image(root, at, "01-05", "BRAIN-DIFF-EPI-2D-AXIAL-POST");
    writeFileSync(join(root, "P-01/1/nii/garbage.nii.gz"), "");
    const plan = planRadifoxStudy(root);
    expect(plan.files).toEqual([]);
    expect(reasonOf(plan, tagged)).toMatch(/^processed image \(tags n4\)/);
    expect(reasonOf(plan, pos)).toMatch(/^RADIFOX extra POS1 is not in the mapping/);
    expect(reasonOf(plan, flair)).toBe(
      "sub-01_ses-1_acq-IRFSE3Dsag_inv-1_FLAIR: inv- is not allowed for FLAIR in anat/",
    );
    expect(reasonOf(plan, dwi)).toBe(
      "sub-01_ses-1_acq-EPI2Dax_ce-gadolinium_dwi: ce- is not allowed for dwi in dwi/",
    );
    expect(plan.skipped).toHaveLength(4);
    // The badly named file is no image of the archive, so not counted.
    expect(plan.found).toBe(4);
    expect(plan.findings.map((f) => f.code)).toContain("E_NAME_SYNTAX");
    expect(plan.findings.every((f) => f.severity === "warning")).toBe(true);
  });

  it("reports folders whose labels collide or vanish, so that the conversion stops", () => {
    const root = study();
    const t1 = "BRAIN-T1-SE-2D-AXIAL-PRE";
    const a = image(root, ["P-01", "1"], "01-01", t1);
    const b = image(root, ["P-0-1", "1"], "01-01", t1);
    const c = image(root, ["P-02", "1-1"], "01-01", t1);
    const d = image(root, ["P-02", "11"], "01-01", t1);
    const e = image(root, ["P-", "1"], "01-01", t1);
    const plan = planRadifoxStudy(root);
    // Folders are read in code-point order: `P-0-1` before `P-01`, `1-1` before `11`.
    expect(plan.files.flatMap((f) => f.source ?? [])).toEqual([b, c]);
    expect(plan.skipped.map((s) => s.source).sort()).toEqual([a, d, e].sort());
    const errors = plan.findings.filter((f) => f.severity === "error");
    expect(errors.map((f) => [f.code, f.path])).toEqual([
      ["BAD_LABEL", join(root, "P-")],
      ["DUPLICATE_LABEL", join(root, "P-01")],
      ["DUPLICATE_LABEL", join(root, "P-02", "11")],
    ]);
    expect(errors[1]?.message).toBe(
      `subject folders ${join(root, "P-0-1")} and ${join(root, "P-01")} both give sub-01; nothing is written until one is renamed`,
    );
    expect(errors[2]?.message).toContain(join(root, "P-02", "1-1"));
    expectValidTargets(plan);
  });

  it("takes the project id given for the subject prefix", () => {
    const root = study();
    const source = image(root, ["MY-PROJ-7", "1"], "01-01", "BRAIN-T1-SE-2D-AXIAL-PRE");
    expect(targetOf(planRadifoxStudy(root, { project: "my-proj" }), source)).toMatch(
      /^sub-7\/ses-1\//,
    );
    expect(targetOf(planRadifoxStudy(root), source)).toMatch(/^sub-PROJ7\/ses-1\//);
  });
});
