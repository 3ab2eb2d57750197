// The dataset-level files every BIDS dataset should have: dataset_description.json (required;
// copied from the input when it has one, else kept from an earlier run, else synthesised),
// participants.tsv and .json, and README. Files a user already has are merged into or kept,
// never thrown away.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { compareCodePoints } from "@radifox/naming";
import { present, type Report } from "./folders.js";
import type { DescriptionSource, InputKind } from "./plan.js";

/** The BIDS version the synthesised description and our checker follow. */
export const BIDS_VERSION = "1.10.0";

const manifest = createRequire(import.meta.url)("../package.json") as {
  name: string;
  version: string;
};
/** This converter as `GeneratedBy` names it. */
export const GENERATED_BY = Object.freeze({
  Name: "xnat2bids",
  Version: manifest.version,
  Description: `${manifest.name}: XNAT archive or RADIFOX study to BIDS`,
});

/** A dataset-level file: written with `content`, or kept as it is (`content` undefined). */
export interface DatasetFile {
  readonly target: string;
  readonly content?: string;
  readonly why: string;
}

export interface DatasetFileOptions {
  readonly output: string;
  readonly input: InputKind;
  /** The subjects of the dataset (labels without `sub-`). */
  readonly subjects: readonly string[];
  readonly descriptions: readonly DescriptionSource[];
  /** `Name` of a synthesised description; default the input folder's name. */
  readonly name: string;
}

const REQUIRED_KEYS = ["Name", "BIDSVersion"] as const;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function synthesisedDescription(name: string): Record<string, unknown> {
  return {
    Name: name,
    BIDSVersion: BIDS_VERSION,
    DatasetType: "raw",
    GeneratedBy: [GENERATED_BY],
  };
}

/** dataset_description.json: the input's, else the one already there, else a new one. */
function description(options: DatasetFileOptions, report: Report): DatasetFile {
  const target = "dataset_description.json";
  const usable = options.descriptions
    .map((source) => ({ source, text: readText(source.path) }))
    .map((d) => ({ ...d, value: jsonObject(d.text) }))
    .filter((d) => {
      if (d.value === undefined) {
        report({
          severity: "warning",
          code: "DESCRIPTION_UNUSABLE",
          message: "not a readable JSON object: not used",
          path: d.source.path,
        });
      }
      return d.value !== undefined;
    });
  const chosen = usable[0];
  if (chosen?.value && chosen.text !== undefined) {
    const differing = usable.filter((d) => !isDeepStrictEqual(d.value, chosen.value));
    if (differing.length > 0) {
      report({
        severity: "warning",
        code: "DESCRIPTIONS_DIFFER",
        message: `the sessions' dataset_description.json files differ; the first (${chosen.source.path}) is used, not ${differing.map((d) => d.source.path).join(", ")}`,
      });
    }
    const missing = REQUIRED_KEYS.filter((key) => chosen.value?.[key] === undefined);
    if (missing.length === 0) {
      return { target, content: chosen.text, why: `copied from ${chosen.source.path}` };
    }
    report({
      severity: "warning",
      code: "DESCRIPTION_INCOMPLETE",
      message: `lacks ${missing.join(" and ")}: added to the copy`,
      path: chosen.source.path,
    });
    const filled = { ...synthesisedDescription(options.name), ...chosen.value };
    return {
      target,
      content: json(filled),
      why: `copied from ${chosen.source.path}, ${missing.join(" and ")} added`,
    };
  }
  if (present(join(options.output, target))) {
    return { target, why: "kept: already in the output, and the input has none" };
  }
  return {
    target,
    content: json(synthesisedDescription(options.name)),
    why: "synthesised: the input has no dataset_description.json",
  };
}

/** participants.tsv: the rows already there, plus a row for each new subject. */
function participants(options: DatasetFileOptions, report: Report): DatasetFile {
  const target = "participants.tsv";
  const ids = [...new Set(options.subjects)].sort(compareCodePoints).map((s) => `sub-${s}`);
  const path = join(options.output, target);
  const existing = readText(path);
  if (existing === undefined && present(path)) {
    report({
      severity: "warning",
      code: "PARTICIPANTS_UNREADABLE",
      message: "cannot be read: left as it is, without the new subjects",
      path,
    });
    return { target, why: "kept: cannot be read" };
  }
  if (existing === undefined) {
    return {
      target,
      content: `${["participant_id", ...ids].join("\n")}\n`,
      why: "one row per subject",
    };
  }
  const lines = existing.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  const header = (lines[0] ?? "").split("\t");
  if (header[0] !== "participant_id") {
    report({
      severity: "warning",
      code: "PARTICIPANTS_UNREADABLE",
      message: "its first column is not participant_id: left as it is",
      path: join(options.output, target),
    });
    return { target, why: "kept: not in the expected form" };
  }
  const listed = new Set(lines.slice(1).map((line) => line.split("\t")[0]));
  const added = ids.filter((id) => !listed.has(id));
  if (added.length === 0) return { target, why: "kept: lists every subject" };
  const filler = header.slice(1).map(() => "n/a");
  const rows = added.map((id) => [id, ...filler].join("\t"));
  return {
    target,
    content: `${[...lines, ...rows].join("\n")}\n`,
    why: `${added.length} subject(s) added to the rows already there`,
  };
}

function participantsSidecar(options: DatasetFileOptions): DatasetFile {
  const target = "participants.json";
  if (present(join(options.output, target))) {
    return { target, why: "kept: already in the output" };
  }
  const content = json({
    participant_id: { Description: "The subject's label, as in the sub- folder names" },
  });
  return { target, content, why: "describes participants.tsv" };
}

const README_NAMES = ["README", "README.md", "README.rst", "README.txt"];
const INPUT_WORDS: Record<InputKind, string> = {
  "xnat-session": "one XNAT session (its BIDS and NIFTI scan resources)",
  "xnat-sessions": "XNAT sessions (their BIDS and NIFTI scan resources)",
  radifox: "a RADIFOX study (the images of each session's nii folder)",
};

function readme(options: DatasetFileOptions): DatasetFile {
  const existing = README_NAMES.find((n) => present(join(options.output, n)));
  if (existing) return { target: existing, why: "kept: already in the output" };
  const content = [
    `# ${options.name}`,
    "",
    `This BIDS dataset was made by ${GENERATED_BY.Name} ${GENERATED_BY.Version} from ${INPUT_WORDS[options.input]}.`,
    "Describe the study here: who took part, how the data were acquired, and whom to contact.",
    "",
  ].join("\n");
  return { target: "README", content, why: "a starting README (BIDS recommends one)" };
}

/** The dataset-level files, decided against what `options.output` already holds. */
export function datasetFiles(options: DatasetFileOptions, report: Report): DatasetFile[] {
  return [
    description(options, report),
    participants(options, report),
    participantsSidecar(options),
    readme(options),
  ];
}
