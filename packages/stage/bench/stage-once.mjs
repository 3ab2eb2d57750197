// One staging run in a fresh process (so its peak memory is its own): prints
// {"seconds": ..., "maxRssMB": ...} as JSON. Usage: node stage-once.mjs <subject-dir> <jobs>
import { ImageFilter } from "@radifox/naming";
import { closeHashPool } from "@radifox/provenance";
import { stageSubject } from "../dist/index.js";

const [subjectDir, jobs = "1"] = process.argv.slice(2);
const filters = (...texts) =>
  texts.map((text) => ImageFilter.fromString(text, { dialect: "radifox" }));
// The README example of the original (spec 5.10).
const options = {
  subjectDir,
  keepBestRes: true,
  imageTypes: filters(
    "bodypart=BRAIN;modality=T1;excontrast=PRE",
    "bodypart=BRAIN;modality=T1;excontrast=POST",
    "bodypart=BRAIN;modality=T2",
    "bodypart=BRAIN;modality=PD",
    "bodypart=BRAIN;modality=FLAIR",
  ),
  regFilters: filters(
    "bodypart=BRAIN;modality=T1;acqdim=3D;excontrast=PRE",
    "bodypart=BRAIN;modality=T1;acqdim=3D;excontrast=POST",
    "bodypart=BRAIN;acqdim=3D",
    "bodypart=BRAIN;acqdim=2D",
  ),
};
const start = performance.now();
const result = await stageSubject(options, { jobs: Number(jobs) });
const seconds = (performance.now() - start) / 1000;
await closeHashPool();
const staged = result.sessions.reduce((n, s) => n + s.staged.length, 0);
process.stdout.write(
  `${JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, staged, qa: result.qaImages.length, records: result.records.length })}\n`,
);
