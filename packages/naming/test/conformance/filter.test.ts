// Runs every vector of filter.json (produced by the original RADIFOX) against this package.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import {
  FILTER_KEYS,
  type FilterPredicate,
  type FilterValue,
  ImageFile,
  ImageFilter,
  type ImageValue,
  PyTuple,
} from "../../src/index.js";
import { expectOutcome, makeTmp, outcome, requireVectors } from "./support.js";

interface Case {
  id: string;
  kind: "from_string" | "construct" | "getattr" | "filter" | "filter_odd";
  note: string;
  input: unknown;
  expected: Record<string, unknown>;
}

const file = requireVectors("filter.json");
const vectors = file
  ? JSON.parse(readFileSync(file, "utf8"))
  : { cases: [], images: [], odd_images: [] };
const cases: Case[] = vectors.cases;
const tmp = makeTmp();
afterAll(() => tmp.cleanup());
const images = (vectors.images as string[]).map((p) => new ImageFile(join(tmp.root, p)));
const oddImages = (vectors.odd_images as string[]).map((p) => new ImageFile(join(tmp.root, p)));

const codePoints = (x: ImageValue) => (typeof x === "string" ? Array.from(x) : x);

// The Python callables the vectors name (README of the vectors, "Filter specification").
const CALLABLES: Record<string, (arg: unknown) => FilterPredicate> = {
  contains: (a) => (x) =>
    typeof x === "string" ? x.includes(a as string) : x.includes(a as string),
  not_contains: (a) => (x) =>
    !(typeof x === "string" ? x.includes(a as string) : x.includes(a as string)),
  any_item_contains: (a) => (x) => codePoints(x).some((s) => s.includes(a as string)),
  in: (a) => (x) => (a as unknown[]).some((item) => JSON.stringify(item) === JSON.stringify(x)),
  startswith: (a) => (x) => typeof x === "string" && x.startsWith(a as string),
  len_eq: (a) => (x) => codePoints(x).length === a,
  identity: () => (x) => x,
  memprage_plugin: () => (x) => codePoints(x).some((s) => s.includes("ECHO") || s === "SUM"),
  mp2rage_plugin: () => (x) => codePoints(x).some((s) => s.includes("INV")),
};

function kwargValue(value: unknown): FilterValue {
  if (typeof value === "string" || Array.isArray(value)) return value as FilterValue;
  const spec = value as { tuple?: string[]; callable?: string; arg?: unknown };
  if (spec.tuple) return new PyTuple(spec.tuple);
  const make = spec.callable ? CALLABLES[spec.callable] : undefined;
  if (!make) throw new Error(`unknown kwarg value ${JSON.stringify(value)}`);
  return make(spec.arg);
}

function buildFilter(input: unknown): ImageFilter {
  const spec = input as { from_string?: string; kwargs?: Record<string, unknown> };
  if (spec.from_string !== undefined) {
    return ImageFilter.fromString(spec.from_string, { dialect: "radifox" });
  }
  return new ImageFilter(
    Object.entries(spec.kwargs ?? {}).map(([k, v]) => [k, kwargValue(v)] as const),
  );
}

// attrs: the value of every allowed key (tuples compare as their items, as JSON wrote them).
function attrs(filter: ImageFilter): Record<string, unknown> {
  return Object.fromEntries(
    FILTER_KEYS.map((key) => {
      const value = filter.get(key);
      return [key, value instanceof PyTuple ? value.items : (value ?? null)];
    }),
  );
}

const indices = (found: ImageFile[], from: ImageFile[]) => found.map((img) => from.indexOf(img));

const runners: Record<Case["kind"], (c: Case) => void> = {
  from_string(c) {
    const result = outcome(() => {
      const filter = ImageFilter.fromString(c.input as string, { dialect: "radifox" });
      return {
        dict: Object.fromEntries(filter.entries()),
        str: filter.toPythonString(),
        attrs: attrs(filter),
      };
    }, tmp.root);
    expectOutcome(result, c.expected, c.id);
    // The dict's key order is part of the expectation.
    if (!("error" in c.expected)) {
      expectOutcome(
        Object.keys((result as { dict: object }).dict),
        Object.keys(c.expected.dict as object),
        `${c.id} key order`,
      );
    }
  },
  construct(c) {
    const result = outcome(() => {
      const filter = buildFilter(c.input);
      return { str: filter.toPythonString(), attrs: attrs(filter) };
    }, tmp.root);
    expectOutcome(result, c.expected, c.id);
  },
  getattr(c) {
    const input = c.input as { kwargs: Record<string, unknown>; attr: string };
    const filter = buildFilter(input);
    // Any name may be asked for at run time; the type system only admits the real keys.
    const value = outcome(() => filter.get(input.attr as never) ?? null, tmp.root);
    expectOutcome(value, c.expected, c.id);
  },
  filter(c) {
    const filter = buildFilter(c.input);
    const matches = filter.filter(images);
    expectOutcome(indices(matches, images), c.expected.matches, `${c.id} matches`);
    expectOutcome(
      matches.map((img) => img.name),
      c.expected.matches_names,
      `${c.id} names`,
    );
    expectOutcome(
      images.map((img) => filter.matches(img)),
      c.expected.check,
      `${c.id} check`,
    );
    const odd = oddImages.map((img) => outcome(() => filter.matches(img), tmp.root));
    (c.expected.odd_check as unknown[]).forEach((expected, i) => {
      expectOutcome(odd[i], expected, `${c.id} odd_check[${i}]`);
    });
    if ("str" in c.expected) expectOutcome(filter.toPythonString(), c.expected.str, `${c.id} str`);
  },
  filter_odd(c) {
    const filter = buildFilter(c.input);
    (c.expected.odd_check as unknown[]).forEach((expected, i) => {
      const actual = outcome(() => filter.matches(oddImages[i] as ImageFile), tmp.root);
      expectOutcome(actual, expected, `${c.id} odd_check[${i}]`);
    });
    const filtered = outcome(() => indices(filter.filter(oddImages), oddImages), tmp.root);
    expectOutcome(filtered, c.expected.odd_filter, `${c.id} odd_filter`);
  },
};

describe.skipIf(!file)("filter vectors", () => {
  it("has cases and images", () => {
    expectOutcome(cases.length > 0 && images.length > 0, true, "filter.json has cases");
  });
  for (const c of cases) {
    it(`${c.id} (${c.kind}): ${c.note}`, () => {
      const run = runners[c.kind];
      if (!run) throw new Error(`${c.id}: unknown kind ${c.kind}`);
      run(c);
    });
  }
});
