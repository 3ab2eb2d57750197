// Runs every vector of naming.json (produced by the original RADIFOX) against this package.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterAll, describe, it } from "vitest";
import { compareCodePoints, globSync, ImageFile, SeriesInfo } from "../../src/index.js";
import { expectOutcome, makeTmp, outcome, requireVectors } from "./support.js";

interface Case {
  id: string;
  kind: "parse" | "sort" | "info_attr" | "glob";
  note: string;
  input: Record<string, unknown>;
  expected: Record<string, unknown>;
}

const file = requireVectors("naming.json");
const cases: Case[] = file ? JSON.parse(readFileSync(file, "utf8")).cases : [];
const tmp = makeTmp();
afterAll(() => tmp.cleanup());
const rel = (path: string) => relative(tmp.root, path);

// Each property of the original ImageFile and how to read it here.
const PROPERTIES: Record<string, (img: ImageFile) => unknown> = {
  resolved: (img) => rel(img.path),
  parent: (img) => rel(img.parent),
  name: (img) => img.name,
  stem: (img) => img.stem,
  suffixes: (img) => img.suffixes,
  ext: (img) => img.ext,
  subject_id: (img) => img.subjectId,
  session_id: (img) => img.sessionId,
  image_id: (img) => img.imageId,
  series_id: (img) => img.seriesId,
  image_type: (img) => img.imageType,
  bodypart: (img) => img.bodypart,
  modality: (img) => img.modality,
  technique: (img) => img.technique,
  acqdim: (img) => img.acqdim,
  orientation: (img) => img.orientation,
  excontrast: (img) => img.excontrast,
  extras: (img) => img.extras,
  tags: (img) => img.tags,
  info_sidecar: (img) => rel(img.infoPath),
};

const runners: Record<Case["kind"], (c: Case) => void> = {
  parse(c) {
    const img = new ImageFile(join(tmp.root, c.input.path as string));
    for (const [property, expected] of Object.entries(c.expected)) {
      const read = PROPERTIES[property];
      if (!read) throw new Error(`${c.id}: no runner for property ${property}`);
      expectOutcome(
        outcome(() => read(img), tmp.root),
        expected,
        `${c.id} ${property}`,
      );
    }
  },
  sort(c) {
    const paths = c.input.paths as string[];
    const images = paths.map((p) => new ImageFile(join(tmp.root, p)));
    const sorted = [...images].sort(ImageFile.compare).map((img) => rel(img.path));
    const byNameDesc = [...images]
      .sort((a, b) => compareCodePoints(b.name, a.name))
      .map((img) => rel(img.path));
    expectOutcome(sorted, c.expected.sorted, `${c.id} sorted`);
    expectOutcome(byNameDesc, c.expected.sorted_by_name_desc, `${c.id} by name desc`);
  },
  info_attr(c) {
    const info = new SeriesInfo(c.input.series_info as Record<string, unknown>);
    const value = outcome(() => info.get(c.input.attr as string), tmp.root);
    expectOutcome(value, c.expected, c.id);
  },
  glob(c) {
    const root = join(tmp.root, c.id);
    for (const path of c.input.tree as string[]) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), "");
    }
    const matches = globSync(join(root, c.input.pattern as string), {
      recursive: c.input.recursive as boolean,
    }).map((img) => relative(root, img.path));
    const expected = [...((c.expected.matches_sorted as string[]) ?? [])].sort(compareCodePoints);
    expectOutcome(matches.sort(compareCodePoints), expected, c.id);
  },
};

describe.skipIf(!file)("naming vectors", () => {
  it("has cases", () => {
    expectOutcome(cases.length > 0, true, "naming.json has cases");
  });
  for (const c of cases) {
    it(`${c.id} (${c.kind}): ${c.note}`, () => {
      const run = runners[c.kind];
      if (!run) throw new Error(`${c.id}: unknown kind ${c.kind}`);
      run(c);
    });
  }
});
