// Runner for ../shared/conformance/radifox/provenance.json: the original RADIFOX's records, logs,
// placements and hashes. Records are compared byte for byte in the `radifox` format; where the
// original fails (its faults, listed in the README), the fixed behaviour is asserted instead.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  ImageFile,
  ImageFilter,
  PyTuple,
  pathSuffixes,
  pyFloat,
  pythonReplace,
} from "@radifox/naming";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import {
  defineModule,
  FilePath,
  formatDuration,
  hashDir,
  hashFile,
  hashFileDir,
  hashFileList,
  hashValue,
  type ModuleArgs,
  type Outputs,
  Overlay,
  ProvenanceError,
  placeRecord,
  provPathFor,
  type RunOptions,
} from "../src/index.js";
import {
  CONFORMANCE,
  DEBIAN_PYTHON,
  hasPythonYaml,
  loadVectors,
  logLines,
  requireSystem,
  tempDir,
  walk,
} from "./support.js";

type Typed = Record<string, unknown>;
interface Case {
  id: string;
  kind: string;
  note: string;
  input: Record<string, unknown>;
  expected: unknown;
}
interface Vectors {
  pins: {
    labels: Record<string, string>;
    fqdn: string;
    env: Record<string, string>;
    start_time: string;
    record_time: string;
  };
  cases: Case[];
}

const vectors = loadVectors<Vectors>("provenance.json");
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function newRoot(): string {
  const root = tempDir("prov-vector-");
  roots.push(root);
  return root;
}

function number(value: unknown): number {
  if (value === "nan") return Number.NaN;
  if (value === "inf") return Number.POSITIVE_INFINITY;
  if (value === "-inf") return Number.NEGATIVE_INFINITY;
  return value as number;
}

/** The README's typed values, as the TypeScript API takes them. */
function decode(value: Typed | null, root: string, top = false): unknown {
  if (value === null) return null;
  const [[kind, v]] = Object.entries(value) as [[string, unknown]];
  switch (kind) {
    case "path":
      return new FilePath(join(root, v as string));
    case "imagefile":
      return new ImageFile(join(root, v as string));
    case "str":
    case "int":
    case "bool":
      return v;
    case "float":
      return pyFloat(number(v));
    case "none":
      return null;
    case "list":
      return (v as Typed[]).map((item) => decode(item, root));
    case "tuple": {
      const items = (v as Typed[]).map((item) => decode(item, root));
      // A tuple among run's outputs is the QA overlay form (overlay, background[, lut]).
      return top
        ? new Overlay(items[0] as FilePath, items[1] as FilePath, items[2] as never)
        : new PyTuple(items);
    }
    case "dict": {
      const entries = (v as [string, Typed][]).map(([k, item]) => [k, decode(item, root)] as const);
      return top ? Object.fromEntries(entries) : new Map(entries);
    }
    case "filter":
      return ImageFilter.fromString(v as string);
    default:
      throw new Error(`unknown typed value ${kind}`);
  }
}

function decodeOutputs(value: Typed, root: string): unknown {
  if ("list" in value) {
    return (value.list as (Typed | null)[]).map((item) => decodeOutputs(item as Typed, root));
  }
  if ("none" in value) return null;
  const entries = (value.dict as [string, Typed][]).map(([key, item]) => {
    if ("tuple" in item) return [key, decode(item, root, true)];
    if ("list" in item)
      return [key, (item.list as Typed[]).map((x) => decode(x, root, "tuple" in x))];
    return [key, decode(item, root)];
  });
  return Object.fromEntries(entries);
}

function localTime(text: string): Date {
  const [date = "", time = ""] = text.split("T");
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const [h, mi, s] = time.split(":").map(Number) as [number, number, number];
  return new Date(y, mo - 1, d, h, mi, Math.floor(s), Math.round((s % 1) * 1000));
}

function pinnedClock(start: string, record: string): () => Date {
  let calls = 0;
  return () => (calls++ === 0 ? localTime(start) : localTime(record));
}

interface ModuleRun {
  root: string;
  error: unknown;
}

async function runModuleCase(
  c: Case,
  format: "radifox" | "extended",
  require = true,
): Promise<ModuleRun> {
  if (!vectors) throw new Error("no vectors");
  const root = newRoot();
  const input = c.input as {
    module: {
      name: string;
      version: string;
      log_uses_filename?: boolean;
      skip_prov_write?: string[];
    };
    files: Record<string, string>;
    argv: string[];
    cli_returns: Typed | null;
    labels?: Record<string, string> | null;
    env?: Record<string, string>;
    fqdn?: string;
    start_time?: string;
    record_time?: string;
    run: {
      writes?: Record<string, string>;
      copies?: Record<string, string>;
      raises?: { type: string; message: string };
      returns?: Typed;
    };
  };
  for (const [rel, text] of Object.entries(input.files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  const module = defineModule({
    name: input.module.name,
    version: input.module.version,
    logUsesFilename: input.module.log_uses_filename ?? true,
    skipProvWrite: input.module.skip_prov_write ?? [],
    cli: () =>
      input.cli_returns === null ? null : (decode(input.cli_returns, root, true) as ModuleArgs),
    run: () => {
      for (const [rel, text] of Object.entries(input.run.writes ?? {})) {
        mkdirSync(dirname(join(root, rel)), { recursive: true });
        writeFileSync(join(root, rel), text);
      }
      for (const [rel, source] of Object.entries(input.run.copies ?? {})) {
        mkdirSync(dirname(join(root, rel)), { recursive: true });
        copyFileSync(join(CONFORMANCE, "data", source), join(root, rel));
      }
      if (input.run.raises) throw new Error(input.run.raises.message);
      return decodeOutputs(input.run.returns as Typed, root) as Outputs;
    },
  });
  const labels = input.labels === undefined ? vectors.pins.labels : input.labels;
  const options: RunOptions = {
    now: pinnedClock(
      input.start_time ?? vectors.pins.start_time,
      input.record_time ?? vectors.pins.record_time,
    ),
    env: input.env ?? vectors.pins.env,
    fqdn: input.fqdn ?? vectors.pins.fqdn,
    container: { labels: labels ?? undefined, labelsFile: null, env: {}, require },
    recordFormat: format,
    qa: { blend: "all" },
    durable: false,
  };
  let error: unknown;
  try {
    await module.execute(input.argv, options);
  } catch (e) {
    error = e;
  }
  return { root, error };
}

const ID_LINE = /^Id: ([0-9a-f]{64})$/gm;

/** Checks the Id rule on our own text, then masks root and Ids as the vectors do. */
function maskRecord(text: string, root: string): string {
  for (const doc of text.split(/^---\n/m).filter((d) => d !== "")) {
    const match = /^Id: ([0-9a-f]{64})\n([\s\S]*)\.\.\.\n$/.exec(doc);
    expect(match, "record shape").not.toBeNull();
    const [, id, body] = match as unknown as [string, string, string];
    expect(createHash("sha256").update(body, "utf8").digest("hex"), "Id = sha256(body)").toBe(id);
  }
  return text.split(root).join("{TMP}").replace(ID_LINE, "Id: {ID}");
}

function pngSummary(path: string) {
  const png = PNG.sync.read(readFileSync(path));
  const channels = png.colorType === 0 ? 1 : 3;
  const { width, height } = png;
  const pixels = Buffer.alloc(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    for (let k = 0; k < channels; k++) pixels[p * channels + k] = png.data[p * 4 + k] as number;
  }
  const rowSums = Array.from({ length: height }, (_, r) =>
    pixels.subarray(r * width * channels, (r + 1) * width * channels).reduce((a, b) => a + b, 0),
  );
  return {
    width,
    height,
    mode: channels === 1 ? "L" : "RGB",
    row_sums: rowSums,
    total: rowSums.reduce((a, b) => a + b, 0),
    pixel_sha256: createHash("sha256").update(pixels).digest("hex"),
  };
}

type Created = Record<
  string,
  {
    type: string;
    text?: string;
    lines?: [string, string][];
    same_as?: string;
    sha256?: string;
  } & Record<string, unknown>
>;

/** Compares the files a run created with the vector's `created` map. */
function compareCreated(root: string, created: Created, inputs: Record<string, string>): void {
  const inputDirs = new Set<string>();
  for (const rel of Object.keys(inputs)) {
    for (let d = dirname(rel); d !== "."; d = dirname(d)) inputDirs.add(d);
  }
  const ours = [...walk(root).keys()].filter((rel) => !(rel in inputs) && !inputDirs.has(rel));
  expect(ours).toEqual(Object.keys(created).sort());
  for (const [rel, want] of Object.entries(created)) {
    const path = join(root, rel);
    if (want.type === "dir") continue;
    if (want.type === "file") expect(readFileSync(path, "utf8"), rel).toBe(want.text);
    if (want.type === "log") expect(logLines(readFileSync(path, "utf8")), rel).toEqual(want.lines);
    if (want.type === "nifti") {
      expect(createHash("sha256").update(readFileSync(path)).digest("hex"), rel).toBe(want.sha256);
    }
    if (want.type === "record") {
      const text = maskRecord(readFileSync(path, "utf8"), root);
      if (want.same_as)
        expect(readFileSync(path, "utf8"), rel).toBe(
          readFileSync(join(root, want.same_as), "utf8"),
        );
      else expect(text, rel).toBe(want.text);
    }
    if (want.type === "png") {
      const summary = pngSummary(path);
      for (const key of ["width", "height", "mode", "row_sums", "total", "pixel_sha256"] as const) {
        expect(summary[key], `${rel} ${key}`).toEqual(want[key]);
      }
    }
  }
}

/**
 * The original names a suffix-less output's record `name.replace("", ".prov")`; ours is
 * `name.prov`. Expected paths are translated through that one documented difference.
 */
function translateProvPaths<T>(created: Record<string, T>, outputs: string[]): Record<string, T> {
  const rename = new Map<string, string>();
  for (const output of outputs) {
    const name = basename(output);
    const original = join(
      dirname(output),
      pythonReplace(name, pathSuffixes(name).join(""), ".prov"),
    );
    if (original !== provPathFor(output)) rename.set(original, provPathFor(output));
  }
  return Object.fromEntries(Object.entries(created).map(([k, v]) => [rename.get(k) ?? k, v]));
}

function returnedPaths(c: Case): string[] {
  const paths: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (k === "path" || k === "imagefile") paths.push(v as string);
        else visit(v);
      }
    }
  };
  visit((c.input.run as { returns?: unknown }).returns);
  return paths;
}

const cases = vectors?.cases ?? [];
const moduleCases = cases.filter((c) => c.kind === "module_run");

describe("provenance vectors: module runs", () => {
  it.each(moduleCases.map((c) => [c.id, c] as const))("%s", async (_id, c) => {
    const expected = c.expected as {
      outcome: { kind: string; error?: string; message?: string; code?: number };
      created: Created;
    };
    const { root, error } = await runModuleCase(c, "radifox");
    const files = c.input.files as Record<string, string>;
    const outcome = expected.outcome;
    const logged = JSON.stringify(expected.created).includes(
      "Processing failed. No outputs reported.",
    );
    if (outcome.kind === "ok" && logged) {
      // The original exits 0 after this error; ours fails, leaving the same files.
      expect(error).toBeInstanceOf(ProvenanceError);
      expect((error as ProvenanceError).code).toBe("E_PROV_NO_OUTPUTS");
      compareCreated(root, expected.created, files);
    } else if (outcome.kind === "ok") {
      if (error) throw error;
      compareCreated(root, translateProvPaths(expected.created, returnedPaths(c)), files);
    } else if (outcome.error === "AttributeError" || outcome.error === "IndexError") {
      // The original crashes on a None first output / an empty list argument; ours records.
      if (error) throw error;
      const tree = walk(root);
      const records = [...tree.keys()].filter((rel) => rel.endsWith("_Provenance.yml"));
      expect(records).toHaveLength(1);
      const text = readFileSync(join(root, records[0] as string), "utf8");
      maskRecord(text, root);
      // Everything the original made before it crashed is there, except its error log.
      for (const rel of Object.keys(expected.created)) {
        expect(tree.has(rel), rel).toBe(!rel.endsWith("-error.log"));
      }
    } else {
      // Errors raised before or by the run: same message, same files.
      expect(error).toBeInstanceOf(ProvenanceError);
      const ours = error as ProvenanceError;
      const message = ours.cause instanceof Error ? ours.cause.message : ours.message;
      expect(message).toBe(outcome.message);
      compareCreated(root, expected.created, files);
    }
  });
});

describe("provenance vectors: extended records read by Python as the original's", () => {
  const okCases = moduleCases.filter((c) => {
    const e = c.expected as { outcome: { kind: string }; created: Created };
    return (
      e.outcome.kind === "ok" && Object.values(e.created).some((f) => f.type === "record" && f.text)
    );
  });
  it("yaml.safe_load of our extended record = the original's plus the extension keys", async () => {
    if (!requireSystem("python3-yaml (/usr/bin/python3)", hasPythonYaml())) return;
    const pairs: { id: string; ours: string; theirs: string }[] = [];
    for (const c of okCases) {
      const { root, error } = await runModuleCase(c, "extended");
      if (error) throw error;
      for (const [rel, want] of Object.entries((c.expected as { created: Created }).created)) {
        if (want.type !== "record" || !want.text) continue;
        const ours = readFileSync(join(root, rel), "utf8");
        maskRecord(ours, root);
        pairs.push({
          id: `${c.id} ${rel}`,
          ours: ours.split(root).join("/TMP"),
          theirs: want.text
            .split("{TMP}")
            .join("/TMP")
            .replace(/Id: \{ID\}/g, `Id: ${"0".repeat(64)}`),
        });
      }
    }
    expect(pairs.length).toBeGreaterThan(5);
    const script = `
import json, sys, yaml
EXTRA = {"Status", "ExitCode", "Parents", "ContainerSource", "Host"}
out = []
for pair in json.load(sys.stdin):
    ours = list(yaml.safe_load_all(pair["ours"]))
    theirs = list(yaml.safe_load_all(pair["theirs"]))
    problems = []
    if len(ours) != len(theirs): problems.append("document count")
    for a, b in zip(ours, theirs):
        a = {k: v for k, v in a.items() if k != "Id"}
        b = {k: v for k, v in b.items() if k != "Id"}
        if set(a) - set(b) != EXTRA: problems.append("extra keys %r" % sorted(set(a) - set(b)))
        if a["Status"] != "success" or a["ExitCode"] != 0: problems.append("status")
        for k in b:
            if a.get(k) != b[k]: problems.append("key %s: %r != %r" % (k, a.get(k), b[k]))
    out.append([pair["id"], problems])
print(json.dumps(out))
`;
    const result = JSON.parse(
      execFileSync(DEBIAN_PYTHON, ["-c", script], { input: JSON.stringify(pairs) }).toString(),
    ) as [string, string[]][];
    for (const [id, problems] of result) expect(problems, id).toEqual([]);
  });
});

describe("provenance vectors: placement", () => {
  it.each(cases.filter((c) => c.kind === "placement").map((c) => [c.id, c] as const))(
    "%s",
    async (_id, c) => {
      const root = newRoot();
      const input = c.input as { record: string; outputs: Typed; skip_prov_write: string[] };
      const outputs = decodeOutputs(input.outputs, root) as Outputs;
      const files: string[] = [];
      for (const [key, value] of Object.entries(outputs)) {
        if (input.skip_prov_write.includes(key)) continue;
        for (const item of Array.isArray(value) ? value : [value]) {
          if (item !== null && item !== undefined) files.push((item as FilePath).path);
        }
      }
      for (const file of files) mkdirSync(dirname(file), { recursive: true });
      await placeRecord(input.record, files, { durable: false });
      const expected = c.expected as { error: unknown; files: Record<string, string> };
      expect(expected.error).toBeNull();
      const want = translateProvPaths(
        expected.files,
        files.map((f) => f.slice(root.length + 1)),
      );
      const ours = Object.fromEntries(
        [...walk(root)]
          .filter(([, kind]) => kind === "file")
          .map(([rel]) => [rel, readFileSync(join(root, rel), "utf8")]),
      );
      expect(ours).toEqual(want);
    },
  );
});

describe("provenance vectors: durations and hashes", () => {
  it.each(cases.filter((c) => c.kind === "format_timedelta").map((c) => [c.id, c] as const))(
    "%s",
    (_id, c) => {
      const { days = 0, seconds = 0, microseconds = 0 } = c.input as Record<string, number>;
      expect(formatDuration(days * 86_400_000_000 + seconds * 1_000_000 + microseconds)).toBe(
        c.expected,
      );
    },
  );

  it.each(cases.filter((c) => c.kind === "hash").map((c) => [c.id, c] as const))(
    "%s",
    async (_id, c) => {
      const root = newRoot();
      const input = c.input as {
        files: Record<string, string>;
        function: string;
        arg: string | string[];
        include_names: boolean;
      };
      for (const [rel, text] of Object.entries(input.files)) {
        mkdirSync(dirname(join(root, rel)), { recursive: true });
        writeFileSync(join(root, rel), text);
      }
      const at = (rel: string) => join(root, rel);
      const run: Record<string, () => Promise<string | undefined>> = {
        hash_file: () => hashFile(at(input.arg as string), input.include_names),
        hash_dir: () => hashDir(at(input.arg as string), input.include_names),
        hash_file_dir: () => hashFileDir(at(input.arg as string), input.include_names),
        hash_file_list: () => hashFileList((input.arg as string[]).map(at), input.include_names),
      };
      expect(await run[input.function]?.()).toBe(c.expected);
    },
  );

  it.each(cases.filter((c) => c.kind === "hash_value").map((c) => [c.id, c] as const))(
    "%s",
    (_id, c) => {
      expect(hashValue(c.input as unknown as string | null)).toBe(c.expected);
    },
  );
});
