#!/usr/bin/env node
// The end-to-end demo: generate a small RADIFOX study (names built with @radifox/naming,
// sidecars as radifox-convert writes them), then list and filter it with the radifox CLI.
// Usage: node scripts/demo.mjs [output-folder]   (default .demo/, replaced on each run)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatName, sessionPath } from "../packages/naming/dist/index.js";

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
    PROTOCOL.forEach(([type, extras, description, resolution, thickness], i) => {
      // Not every session has every series: drop some, deterministically.
      if ((s * 7 + i * 3 + Number(sessionId)) % 11 === 0) return;
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
      // Placeholder image files: this demo exercises names, layout and sidecars.
      write(join(session, "nii", `${stem}.nii.gz`));
      write(
        join(session, "nii", `${stem}.json`),
        sidecar(description, resolution, thickness, stem),
      );
      images++;
      if (modality === "T1" && excontrast === "PRE" && extras.length === 0) {
        write(join(session, "proc", formatName({ ...fields, tags: ["n4"], ext: ".nii.gz" })));
      }
    });
  }
}
// One file named the way the original's README example does (no session field): the scan
// reports it and carries on.
const oddSession = sessionPath(join(out, "study"), {
  projectId: "DEMO",
  subjectId: "0003",
  sessionId: "1",
});
write(join(oddSession, "nii", "DEMO-0003_01-99_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz"));

function step(title, args, { allowed = [0] } = {}) {
  console.log(`\n$ radifox ${args.map((a) => (/[\s;|=]/.test(a) ? `'${a}'` : a)).join(" ")}`);
  console.log(`# ${title}`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", cwd: out });
  if (!allowed.includes(result.status ?? -1)) {
    console.error(`demo: radifox exited with ${result.status}`);
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
console.log("\ndemo finished");
