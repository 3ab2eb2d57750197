#!/usr/bin/env node
// The end-to-end demo: generate a small RADIFOX study (names built with @radifox/naming, real
// NIfTI volumes written with @radifox/nifti, sidecars as radifox-convert writes them), list and
// filter it with the radifox CLI, scan the headers and apply the staging header fix, then run
// processing steps that leave provenance records, logs and QA pictures, and check them.
// Usage: node scripts/demo.mjs [output-folder]   (default .demo/, replaced on each run)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatName, ImageFile, pyFloat, sessionPath } from "../packages/naming/dist/index.js";
import {
  alignQformToSform,
  axcodes,
  createImage,
  qformAffine,
  readHeaderSync,
  readImage,
  rewriteHeader,
  writeImage,
} from "../packages/nifti/dist/index.js";
import { defineModule, overlay } from "../packages/provenance/dist/index.js";
import { generateStudy } from "../packages/synth/dist/index.js";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const defaultOut = join(root, ".demo");
const out = resolve(process.argv[2] ?? defaultOut);
const cli = join(root, "apps", "cli", "dist", "bin.js");

// The images a typical brain MRI session holds: type components, extras, series description,
// in-plane acquired resolution and slice thickness (what staging's best-resolution rule reads).
const PROTOCOL = [
  [["BRAIN", "T1", "IRFSPGR", "3D", "SAGITTAL", "PRE"], [], "SAG T1 MPRAGE", [1, 1], 1],
  [["BRAIN", "T2", "FSE", "2D", "AXIAL", "PRE"], [], "AX T2 FSE", [0.5, 0.5], 3],
  [["BRAIN", "FLAIR", "IRFSE", "3D", "SAGITTAL", "PRE"], [], "SAG 3D FLAIR", [1, 1], 1.2],
  [["BRAIN", "PD", "FSE", "2D", "AXIAL", "PRE"], [], "AX PD", [0.9, 0.9], 3],
  [["BRAIN", "T1", "IRFSPGR", "3D", "SAGITTAL", "PRE"], ["ECHO1"], "MEMPRAGE RMS", [1, 1], 1],
  [["BRAIN", "T1", "IRFSPGR", "3D", "SAGITTAL", "PRE"], ["ECHO2"], "MEMPRAGE RMS", [1, 1], 1],
  [["BRAIN", "DIFF", "EPI", "2D", "AXIAL", "PRE"], ["ND"], "DTI 30 DIR", [2, 2], 2],
  [["BRAIN", "T1", "SE", "2D", "AXIAL", "POST"], [], "AX T1 POST GAD", [0.9, 0.9], 5],
  [["BRAIN", "T1", "IRFSPGR", "3D", "SAGITTAL", "POST"], [], "SAG T1 POST GAD", [1, 1], 1],
];

function sidecar(description, resolution, thickness, name) {
  // Sorted keys and 4-space indentation, as radifox-convert writes them.
  return `${JSON.stringify(
    {
      SeriesInfo: {
        AcquiredResolution: resolution,
        MagneticFieldStrength: 3.0,
        NiftiName: name,
        SeriesDescription: description,
        SliceSpacing: null,
        SliceThickness: thickness,
      },
      __version__: { radifox: "demo" },
    },
    null,
    4,
  )}\n`;
}

/**
 * A small head phantom with the protocol's voxel size: an ellipsoid of smooth contrast, oriented
 * like the acquisition (sagittal slices along x, axial ones along z), slightly oblique.
 */
function phantomImage(orientation, resolution, thickness, seed) {
  const zooms =
    orientation === "SAGITTAL" ? [thickness, ...resolution] : [...resolution, thickness];
  const shape = zooms.map((zoom) => Math.max(8, Math.round(48 / zoom / 2) * 2));
  const data = new Int16Array(shape[0] * shape[1] * shape[2]);
  let i = 0;
  for (let k = 0; k < shape[2]; k++) {
    for (let j = 0; j < shape[1]; j++) {
      for (let n = 0; n < shape[0]; n++, i++) {
        const r =
          ((n / shape[0] - 0.5) * 2) ** 2 +
          ((j / shape[1] - 0.5) * 2.2) ** 2 +
          ((k / shape[2] - 0.5) * 2) ** 2;
        data[i] =
          r < 1 ? Math.round(600 + 300 * Math.cos(3 * r + seed) + ((i * 7919 + seed) % 37)) : 0;
      }
    }
  }
  const angle = 0.02 * seed;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const rotation = [
    [-c, s, 0],
    [-s, -c, 0],
    [0, 0, 1],
  ];
  // World axis of each voxel axis: sagittal slices are stacked along x, axial ones along z.
  const axes = orientation === "SAGITTAL" ? [1, 2, 0] : [0, 1, 2];
  const affine = [0, 1, 2].map((row) => {
    const out = [0, 0, 0, -24 + row * 2];
    axes.forEach((world, voxel) => {
      out[voxel] = (rotation[row][world] ?? 0) * zooms[voxel];
    });
    return out;
  });
  affine.push([0, 0, 0, 1]);
  return createImage({
    data,
    shape,
    affine,
    fields: { descrip: "radifox demo phantom", xyztUnits: 10 },
  });
}

function write(path, text = "") {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

// The folder is replaced on each run, so only a folder this demo made (or an empty one) is used.
const MARKER = join(out, ".radifox-demo");
if (out !== defaultOut && existsSync(out) && readdirSync(out).length > 0 && !existsSync(MARKER)) {
  console.error(`demo: ${out} exists and was not made by this demo; give an empty or new folder`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
write(MARKER, "made by scripts/demo.mjs; replaced on each run\n");
let images = 0;
for (let s = 1; s <= 12; s++) {
  const subjectId = String(s).padStart(4, "0");
  for (const sessionId of ["1", "2"]) {
    const session = sessionPath(join(out, "study"), { projectId: "DEMO", subjectId, sessionId });
    const subject = `DEMO-${subjectId}`;
    for (const [i, [type, extras, description, resolution, thickness]] of PROTOCOL.entries()) {
      // Not every session has every series: drop some, deterministically.
      if ((s * 7 + i * 3 + Number(sessionId)) % 11 === 0) continue;
      const [bodypart, modality, technique, acqdim, orientation, excontrast] = type;
      const parts = { subjectId: subject, sessionId, studyNumber: 1, seriesNumber: i + 2 };
      const fields = {
        ...parts,
        bodypart,
        modality,
        technique,
        acqdim,
        orientation,
        excontrast,
        extras,
      };
      const stem = formatName(fields);
      const image = phantomImage(orientation, resolution, thickness, s + i);
      mkdirSync(join(session, "nii"), { recursive: true });
      await writeImage(join(session, "nii", `${stem}.nii.gz`), image);
      write(
        join(session, "nii", `${stem}.json`),
        sidecar(description, resolution, thickness, stem),
      );
      images++;
      if (modality === "T1" && excontrast === "PRE" && extras.length === 0 && acqdim === "3D") {
        const n4 = join(session, "proc", formatName({ ...fields, tags: ["n4"], ext: ".nii.gz" }));
        mkdirSync(dirname(n4), { recursive: true });
        await writeImage(n4, image);
      }
    }
  }
}
// One file named the way the original's README example does (no session field): the scan
// reports it and carries on.
const oddSession = sessionPath(join(out, "study"), {
  projectId: "DEMO",
  subjectId: "0003",
  sessionId: "1",
});
await writeImage(
  join(oddSession, "nii", "DEMO-0003_01-99_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz"),
  phantomImage("AXIAL", [0.5, 0.5], 3, 99),
);

function step(title, args, { allowed = [0], program = "radifox", bin = cli } = {}) {
  console.log(`\n$ ${program} ${args.map((a) => (/[\s;|=]/.test(a) ? `'${a}'` : a)).join(" ")}`);
  console.log(`# ${title}`);
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: "inherit", cwd: out });
  if (!allowed.includes(result.status ?? -1)) {
    console.error(`demo: ${program} exited with ${result.status}`);
    process.exit(1);
  }
}

console.log(
  `Generated ${images} images in 24 sessions under ${relative(process.cwd(), out) || out}/study`,
);
step("pre-contrast T1s that are not MEMPRAGE echoes, with series descriptions from the sidecars", [
  "ls",
  "study/demo",
  "--long",
  "--info",
  "--filter",
  "bodypart=BRAIN;modality=T1;excontrast=PRE;extras=[]",
]);
step(
  "one subject's T1 and FLAIR images that are not echoes, raw and processed (extended grammar)",
  [
    "ls",
    "study/demo/DEMO-0001",
    "--folders",
    "nii,proc",
    "--filter",
    "modality=T1|FLAIR;extras!~ECHO1|ECHO2",
  ],
);
step(
  "what a name means, and what is wrong with a bad one",
  [
    "name",
    "parse",
    "DEMO-0001_1_01-06_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO1_n4.nii.gz",
    "DEMO-0003_01-99_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz",
  ],
  { allowed: [65] },
);
// Headers of every image, read without reading the data; then the staging header fix.
const niftis = [];
const collect = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collect(path);
    else if (entry.name.endsWith(".nii.gz")) niftis.push(path);
  }
};
collect(join(out, "study"));
const started = performance.now();
const headers = niftis.map((path) => readHeaderSync(path));
const elapsed = performance.now() - started;
const shapes = new Set(headers.map((h) => h.dim.slice(1, h.dim[0] + 1).join("x")));
console.log(
  `\n# @radifox/nifti: ${headers.length} headers read in ${elapsed.toFixed(1)} ms; shapes ${[...shapes].join(", ")}`,
);
const t1 = niftis.find((path) => path.includes("T1-IRFSPGR-3D-SAGITTAL-PRE.nii.gz"));
const fixed = join(
  dirname(t1),
  "..",
  "stage",
  t1.split("/").pop().replace(".nii.gz", "_hdrfix.nii.gz"),
);
mkdirSync(dirname(fixed), { recursive: true });
const written = await rewriteHeader(t1, fixed, alignQformToSform);
const image = await readImage(fixed, { float: "float32" });
const round = (m) => m.slice(0, 3).map((row) => row.map((v) => Number(v.toFixed(3))).join(" "));
console.log(`# header fix of ${relative(out, t1)} -> ${relative(out, fixed)}`);
console.log(
  `#   axis codes ${axcodes(image.affine).join("")}, qform code ${written.qformCode}, sform code ${written.sformCode}`,
);
console.log(`#   qform rows: ${round(qformAffine(written)).join(" | ")}`);
console.log(`#   ${image.getFloatData("float32").length} voxels, data unchanged`);

// A processing step with provenance: a module written in TypeScript makes a brain mask from the
// raw T1 (records, logs and a QA picture with the mask over the T1), then an external program
// run through `radifox run` copies it, and the records are verified and followed back.
const session = dirname(dirname(t1));
const mask = join(session, "proc", t1.split("/").pop().replace(".nii.gz", "_mask.nii.gz"));
const masker = defineModule({
  name: "demo-mask",
  version: "1.0.0",
  cli: (args) => ({ in_file: new ImageFile(args[0]), threshold: pyFloat(Number(args[1])) }),
  run: async ({ in_file, threshold }, { log }) => {
    const source = await readImage(in_file.path);
    const values = source.getFloatData("float32");
    const labels = new Uint8Array(values.length);
    let inside = 0;
    for (let i = 0; i < values.length; i++) {
      if (values[i] >= threshold.value) {
        labels[i] = 1;
        inside++;
      }
    }
    log.info(`${inside} of ${values.length} voxels above ${threshold.value}`);
    await writeImage(
      mask,
      createImage({ data: labels, shape: source.shape, header: source.header }),
    );
    return { mask: overlay(mask, in_file, "binary") };
  },
});
const made = await masker.execute([t1, "50"], {
  onLog: (line) => process.stdout.write(`#   ${line}`),
});
console.log(
  `# demo-mask: record ${made.records[0].id.slice(0, 12)} in ${relative(out, made.records[0].sessionFile)}`,
);
for (const png of made.qaImages) console.log(`#   QA picture ${relative(out, png)}`);
const copy = mask.replace("_mask.nii.gz", "_mask-copy.nii.gz");
step("any program as a processing step: inputs, outputs and parameters recorded", [
  "run",
  "--name",
  "copy",
  "--version",
  "9.1",
  "--input",
  `mask=${relative(out, mask)}`,
  "--output",
  `copy=${relative(out, copy)}`,
  "--param",
  "mode=plain",
  "--",
  "cp",
  relative(out, mask),
  relative(out, copy),
]);
step("where the copy came from, record by record, down to the raw T1", [
  "prov",
  "lineage",
  relative(out, copy),
]);
step(
  "every recorded file re-hashed; the demo's hand-made n4 image has no record (exit 65)",
  ["prov", "verify", relative(out, session)],
  { allowed: [65] },
);
// Staging: a realistic generated project (the reference protocol: T1, MEMPRAGE echoes, T2, FLAIR,
// PD, post-contrast T1s, an ND image, an SWI, and an MP2RAGE set), first explained, then staged
// two sessions at a time, with records, logs and QA montages.
const project = join(out, "staging", "DEMO");
const generated = await generateStudy({
  root: project,
  project: "DEMO",
  subjects: 2,
  sessions: 2,
  protocol: "mp2rage",
  shape: [96, 96, 64],
  seed: 3,
});
console.log(
  `\n# @radifox/synth: ${generated.files} files (${(generated.bytes / 1e6).toFixed(1)} MB) in ${relative(out, project)}`,
);
const stageArgs = [
  "--keep-best-res",
  "--image-types",
  "bodypart=BRAIN;modality=T1;excontrast=PRE",
  "bodypart=BRAIN;modality=T1;excontrast=POST",
  "bodypart=BRAIN;modality=T2",
  "bodypart=BRAIN;modality=PD",
  "bodypart=BRAIN;modality=FLAIR",
  "--reg-filters",
  "bodypart=BRAIN;modality=T1;acqdim=3D;excontrast=PRE",
  "bodypart=BRAIN;acqdim=3D",
  "bodypart=BRAIN;acqdim=2D",
];
const firstSubject = relative(out, generated.subjects[0].dir);
step("what staging would choose for one subject, and why (nothing is written)", [
  "stage",
  firstSubject,
  ...stageArgs,
  "--plan",
]);
step("stage every subject of the project, two sessions at a time", [
  "stage",
  "--project-dir",
  relative(out, project),
  ...stageArgs,
  "--jobs",
  "2",
]);
const stagedSession = generated.subjects[0].sessions[0].dir;
const listing = (dir) => readdirSync(join(stagedSession, dir)).sort();
console.log(`# in ${relative(out, stagedSession)}:`);
console.log(`#   staged images (stage/): ${listing("stage").join(", ")}`);
console.log(
  `#   provenance: ${readdirSync(stagedSession).find((name) => name.endsWith("_Provenance.yml"))} (one record per run) and a .prov beside each staged image`,
);
console.log(`#   QA montages (qa/staging/): ${listing(join("qa", "staging")).join(", ")}`);
console.log(`#   logs (logs/): ${listing("logs").join(", ")}`);
step("the staged session's files against its records", [
  "prov",
  "verify",
  relative(out, stagedSession),
]);

// BIDS: the same study as a BIDS dataset (RADIFOX types mapped to BIDS suffixes and entities,
// sidecars converted, data files hard-linked), converted twice to show that a re-run is a no-op.
const xcs = { program: "xcs", bin: join(root, "apps", "launcher", "dist", "bin.js") };
// dcm2niix writes gradient tables beside each diffusion image; the generated study has none.
for (const subject of generated.subjects) {
  for (const { dir } of subject.sessions) {
    for (const name of readdirSync(join(dir, "nii"))) {
      if (!name.includes("-DIFF-") || !name.endsWith(".nii.gz")) continue;
      const stem = join(dir, "nii", name.slice(0, -".nii.gz".length));
      writeFileSync(`${stem}.bval`, "0 1000 1000 1000\n");
      writeFileSync(`${stem}.bvec`, "0 1 0 0\n0 0 1 0\n0 0 0 1\n");
    }
  }
}
const bids = relative(out, join(out, "bids"));
step(
  "the study as a BIDS dataset: every output file with the reason for its name",
  ["xnat2bids", relative(out, project), bids, "--dry-run"],
  xcs,
);
step(
  "convert it (hard links), and check the result against the BIDS rules",
  ["xnat2bids", relative(out, project), bids, "--quiet"],
  xcs,
);
step("run again: nothing changes", ["xnat2bids", relative(out, project), bids, "--quiet"], xcs);

console.log("\ndemo finished");
