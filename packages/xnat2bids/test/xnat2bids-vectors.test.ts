// The xnat2bids.json vectors: an XNAT session (or a folder of sessions) in, the exact BIDS
// dataset out. Each case runs twice: with the defaults (hard links, and the recommended
// participants.tsv, participants.json and README beside the vector's files) and in copy mode
// without the recommended files (exactly the vector's files). Each run is then repeated into
// the same output, which must change nothing.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Xnat2BidsOptions, type Xnat2BidsResult, xnat2bids } from "../src/index.js";
import { listFiles, loadVectors } from "./support.js";

interface Vector {
  id: string;
  note: string;
  mode: "session" | "project";
  input: { files: Record<string, unknown> };
  existingOutput?: { files: Record<string, unknown> };
  expected: {
    exitCode: 0 | "non-zero";
    files: string[];
    skipped: string[];
    datasetDescription: { requiredKeys: string[]; copiedFrom: string | null } | null;
  };
}

/** The files BIDS recommends that the converter adds unless told not to. */
const RECOMMENDED = ["README", "participants.json", "participants.tsv"];

const vectors = loadVectors<{ cases: Vector[] }>("xnat2bids.json");
const scratch = mkdtempSync(join(tmpdir(), "xnat2bids-vectors-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeTree(root: string, files: Record<string, unknown>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(
      join(root, path),
      typeof content === "string" ? content : JSON.stringify(content, null, 2),
    );
  }
}

/** The input file of the same name as an output file (vectors never repeat a name). */
function inputNamed(vector: Vector, name: string): string | undefined {
  return Object.keys(vector.input.files).find((path) => basename(path) === name);
}

function checkRun(
  vector: Vector,
  input: string,
  output: string,
  result: Xnat2BidsResult,
  recommended: boolean,
): void {
  const { expected } = vector;
  expect(result.exitCode, JSON.stringify(result.findings)).toBe(expected.exitCode === 0 ? 0 : 1);
  const extra = recommended && expected.exitCode === 0 ? RECOMMENDED : [];
  expect(listFiles(output).sort()).toEqual([...expected.files, ...extra].sort());
  expect(result.skipped.flatMap((s) => (s.base === undefined ? [] : [s.base])).sort()).toEqual(
    [...expected.skipped].sort(),
  );
  for (const file of expected.files) {
    if (file === "dataset_description.json") continue;
    const source = inputNamed(vector, basename(file));
    expect(source, `${file} has an input of its name`).toBeDefined();
    expect(readFileSync(join(output, file))).toEqual(readFileSync(join(input, source as string)));
  }
  const description = expected.datasetDescription;
  if (description === null) return;
  const written = JSON.parse(readFileSync(join(output, "dataset_description.json"), "utf8"));
  for (const key of description.requiredKeys) expect(written).toHaveProperty(key);
  if (description.copiedFrom !== null) {
    expect(written).toEqual(vector.input.files[description.copiedFrom]);
  } else {
    expect(written.GeneratedBy?.[0]?.Name).toBe("xnat2bids");
  }
}

const RUNS: { name: string; options: Xnat2BidsOptions; recommended: boolean }[] = [
  { name: "defaults", options: {}, recommended: true },
  {
    name: "copies, no recommended files",
    options: { link: "copy", recommended: false },
    recommended: false,
  },
];

describe.runIf(vectors)("xnat2bids.json vectors", () => {
  for (const vector of vectors?.cases ?? []) {
    for (const run of RUNS) {
      it(`${vector.id} (${run.name}): ${vector.note}`, async () => {
        const root = mkdtempSync(join(scratch, `${vector.id}-`));
        const input = join(root, "input");
        const output = join(root, "output");
        mkdirSync(input);
        writeTree(input, vector.input.files);
        if (vector.existingOutput) writeTree(output, vector.existingOutput.files);

        const first = await xnat2bids(input, output, run.options);
        checkRun(vector, input, output, first, run.recommended);
        if (vector.expected.exitCode !== 0) return;

        const again = await xnat2bids(input, output, run.options);
        checkRun(vector, input, output, again, run.recommended);
        expect(again.actions.filter((a) => a.action !== "unchanged")).toEqual([]);
      });
    }
  }
});
