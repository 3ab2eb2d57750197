// Reading, verifying, tracing and exporting the records of real studies: two chained modules
// run on a temporary study, then files and records are changed to see what is found.
import { createHash } from "node:crypto";
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { endTimeOf } from "../src/export.js";
import {
  type ContainerLabels,
  defineModule,
  exportBidsGeneratedBy,
  exportProvJson,
  FilePath,
  findRecordsFor,
  type LineageNode,
  lineage,
  lineageNodes,
  parseRecords,
  provPathFor,
  type RunOptions,
  readSessionRecords,
  renderRecord,
  sessionFileFor,
  verifySession,
} from "../src/index.js";
import { tempDir } from "./support.js";

const DIGEST = `sha256:${"ab12".repeat(16)}`;
const LABELS: ContainerLabels = {
  "ci.image": "ghcr.io/lab/tools",
  "ci.tag": "v1.2",
  "ci.commit": "0123abcd4567ef",
  "ci.builder": "ci-bot",
  "ci.timestamp": "2024-01-01T00:00:00Z",
  "ci.digest": DIGEST,
};
const OPTIONS: RunOptions = {
  container: { labels: LABELS, labelsFile: null },
  qa: false,
  durable: false,
  fqdn: "host.example",
  env: { USER: "tester" },
};
const NAME = "SUBJ-1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE";

/** Upper-cases a text file into `<session>/proc/<stem>_upper.txt`. */
const upper = defineModule({
  name: "upper",
  version: "1.0.0",
  cli: (args) => ({ in_file: new FilePath(args[0] as string), mode: "strict" }),
  run: (args) => {
    const input = (args.in_file as FilePath).path;
    const out = join(dirname(dirname(input)), "proc", `${basename(input, ".txt")}_upper.txt`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, readFileSync(input, "utf8").toUpperCase());
    return { out_file: new FilePath(out) };
  },
});

/** Counts the characters of a text file into `<session>/proc/<stem>_count.txt`. */
const count = defineModule({
  name: "count",
  version: "2.0.0",
  cli: (args) => ({ in_file: new FilePath(args[0] as string) }),
  run: (args) => {
    const input = (args.in_file as FilePath).path;
    const out = join(dirname(dirname(input)), "proc", `${basename(input, ".txt")}_count.txt`);
    writeFileSync(out, `${readFileSync(input, "utf8").length}\n`);
    return { out_file: new FilePath(out) };
  },
});

/** Joins two text files into `<session>/proc/<stem>_joined.txt`. */
const join2 = defineModule({
  name: "join",
  version: "1.0.0",
  cli: (args) => ({
    left: new FilePath(args[0] as string),
    right: new FilePath(args[1] as string),
  }),
  run: (args) => {
    const left = (args.left as FilePath).path;
    const out = join(dirname(left), `${basename(left, ".txt")}_joined.txt`);
    writeFileSync(
      out,
      readFileSync(left, "utf8") + readFileSync((args.right as FilePath).path, "utf8"),
    );
    return { out_file: new FilePath(out) };
  },
});

/** Appends to a file in place (its input is its output). */
const touchUp = defineModule({
  name: "touchup",
  version: "1.0.0",
  cli: (args) => ({ in_file: new FilePath(args[0] as string) }),
  run: (args) => {
    appendFileSync((args.in_file as FilePath).path, "!\n");
    return { out_file: args.in_file as FilePath };
  },
});

const failing = defineModule({
  name: "broken",
  version: "0.1.0",
  cli: (args) => ({ in_file: new FilePath(args[0] as string) }),
  run: () => {
    throw new Error("out of coffee");
  },
});

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

interface Study {
  root: string;
  project: string;
  session: string;
  raw: string;
  first: string;
  second: string;
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

async function buildStudy(): Promise<Study> {
  const root = tempDir("prov-study-");
  roots.push(root);
  const project = join(root, "study");
  const session = join(project, "SUBJ-1", "1");
  const raw = join(session, "nii", `${NAME}.txt`);
  mkdirSync(dirname(raw), { recursive: true });
  writeFileSync(raw, "hello brain\n");
  await upper.execute([raw], OPTIONS);
  const first = join(session, "proc", `${NAME}_upper.txt`);
  await count.execute([first], OPTIONS);
  const second = join(session, "proc", `${NAME}_upper_count.txt`);
  return { root, project, session, raw, first, second };
}

let study: Study;
beforeEach(async () => {
  study = await buildStudy();
});

describe("readSessionRecords / findRecordsFor", () => {
  it("reads the session file and the .prov files, one record per Id, linked by Parents", async () => {
    const read = await readSessionRecords(study.session);
    expect(read.sessionFile).toBe(join(study.session, "SUBJ-1_1_Provenance.yml"));
    expect(read.problems).toEqual([]);
    expect(read.records.map((r) => r.module)).toEqual(["upper", "count"]);
    expect(read.documents).toHaveLength(4); // session file + one .prov each
    const [a, b] = read.records;
    expect(a?.source.path).toBe(read.sessionFile);
    expect(b?.parents).toEqual({ in_file: a?.id });
    expect(a?.parents).toEqual({ in_file: null });
    expect(a?.root).toBe(study.project);
    expect(a?.container.url).toBe("ghcr.io/lab/tools:v1.2@0123abcd");
  });

  it("finds the record of a file, of a record file, and none for a raw input", async () => {
    const forOutput = await findRecordsFor(study.second);
    expect(forOutput.kind).toBe("file");
    expect(forOutput.records.map((r) => r.module)).toEqual(["count"]);
    expect(forOutput.records[0]?.source.path).toBe(provPathFor(study.second));
    const forProv = await findRecordsFor(provPathFor(study.first));
    expect(forProv.kind).toBe("record-file");
    expect(forProv.records.map((r) => r.module)).toEqual(["upper"]);
    const forSession = await findRecordsFor(study.session);
    expect(forSession.kind).toBe("session");
    expect(forSession.records).toHaveLength(2);
    const forRaw = await findRecordsFor(study.raw);
    expect(forRaw.records).toEqual([]);
    expect(forRaw.problems).toEqual([]);
    await expect(findRecordsFor(join(study.session, "nope.txt"))).rejects.toMatchObject({
      code: "E_PROV_READ",
    });
  });

  it("resolves paths where a moved study now lives", async () => {
    const moved = join(study.root, "moved");
    renameSync(study.project, moved);
    const session = join(moved, "SUBJ-1", "1");
    const read = await readSessionRecords(session);
    expect(read.records[0]?.projectRoot).toBe(study.project); // as stored
    expect(read.records.every((r) => r.root === moved)).toBe(true);
    const fromProv = await findRecordsFor(join(session, "proc", `${NAME}_upper_count.txt`));
    expect(fromProv.records[0]?.root).toBe(moved);
    const report = await verifySession(session);
    expect(report.findings).toEqual([]);
    expect(report.checkedFiles).toBe(3);
  });
});

describe("verifySession", () => {
  it("checks a copied study's own files, not the original's", async () => {
    const copy = join(study.root, "copy");
    cpSync(study.project, copy, { recursive: true });
    const session = join(copy, "SUBJ-1", "1");
    const output = join(session, "proc", `${NAME}_upper_count.txt`);
    appendFileSync(output, "edited in the copy\n");
    const report = await verifySession(session);
    expect(report.findings.map((f) => [f.kind, f.path])).toEqual([["modified", output]]);
    expect((await verifySession(study.session)).findings).toEqual([]);
  });

  it("finds nothing in a clean session", async () => {
    const report = await verifySession(study.session);
    expect(report).toEqual({ session: study.session, records: 2, checkedFiles: 3, findings: [] });
  });

  it("reports an output changed after its record, with both hashes", async () => {
    const recorded = sha256(study.second);
    appendFileSync(study.second, "tampered\n");
    const progress: number[] = [];
    const report = await verifySession(study.session, {
      onProgress: (p) => progress.push(p.hashed),
    });
    const countId = (await findRecordsFor(study.second)).records[0]?.id;
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: "modified",
        severity: "error",
        path: study.second,
        recordId: countId,
        module: "count:2.0.0",
        recorded,
        actual: sha256(study.second),
      }),
    ]);
    expect(progress).toEqual([1, 2, 3]);
  });

  it("reports a changed raw input as making its consumer stale", async () => {
    writeFileSync(study.raw, "another brain\n");
    const report = await verifySession(study.session);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      kind: "modified",
      severity: "warning",
      path: study.raw,
      module: "upper:1.0.0",
    });
    expect(report.findings[0]?.message).toContain("stale");
  });

  it("checks only the latest run of a file, and flags consumers of older versions", async () => {
    writeFileSync(study.raw, "another brain\n");
    await upper.execute([study.raw], OPTIONS); // produces `first` again; `count` is not re-run
    const report = await verifySession(study.session);
    expect(report.records).toBe(3);
    expect(report.findings.map((f) => [f.kind, f.severity, f.path, f.module])).toEqual([
      ["modified", "warning", study.first, "count:2.0.0"],
    ]);
  });

  it("reports a missing output", async () => {
    unlinkSync(study.second);
    const report = await verifySession(study.session);
    expect(report.findings.map((f) => [f.kind, f.severity, f.path])).toEqual([
      ["missing", "error", study.second],
    ]);
  });

  it("reports unrecorded files in proc/ and stage/, not .prov or hidden files", async () => {
    const extra = join(study.session, "proc", "notes.txt");
    const staged = join(study.session, "stage", "sub", "x.nii.gz");
    writeFileSync(extra, "by hand\n");
    writeFileSync(join(study.session, "proc", ".notes.txt.1234.tmp"), "");
    mkdirSync(dirname(staged), { recursive: true });
    writeFileSync(staged, "");
    writeFileSync(join(study.session, "nii", "other.txt"), ""); // nii/ holds raw inputs
    const report = await verifySession(study.session);
    expect(report.findings.map((f) => [f.kind, f.severity, f.path])).toEqual([
      ["unrecorded", "warning", extra],
      ["unrecorded", "warning", staged],
    ]);
  });

  it("reports a corrupt session file and leaves it untouched", async () => {
    const sessionFile = sessionFileFor(study.session);
    const text = readFileSync(sessionFile, "utf8");
    const second = text.indexOf("---", 3);
    const corrupt = `${text.slice(0, second)}---\nId: 1234\nModule: half:1\n...\n${text.slice(second)}garbage: yes\n`;
    writeFileSync(sessionFile, corrupt);
    const before = readFileSync(sessionFile);
    const report = await verifySession(study.session);
    expect(readFileSync(sessionFile).equals(before)).toBe(true);
    const bad = report.findings.filter((f) => f.kind === "bad-record");
    expect(bad.map((f) => [f.severity, f.path, f.line])).toEqual([
      // the document without a valid Id is reported at its `Id:` line
      ["error", sessionFile, corrupt.slice(0, second).split("\n").length + 1],
      ["error", sessionFile, corrupt.split("\n").length - 1],
    ]);
    expect(report.findings).toHaveLength(2);
    expect(report.records).toBe(2);
  });

  it("reports an edited record as an Id mismatch", async () => {
    const sessionFile = sessionFileFor(study.session);
    const text = readFileSync(sessionFile, "utf8");
    writeFileSync(sessionFile, text.replace("User: tester@host.example", "User: mallory@x"));
    const report = await verifySession(study.session);
    const upperId = (await findRecordsFor(study.first)).records[0]?.id;
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: "id-mismatch",
        severity: "error",
        path: sessionFile,
        line: 1,
        recordId: upperId,
      }),
    ]);
  });

  it("lists a failed run for information", async () => {
    await expect(failing.execute([study.raw], OPTIONS)).rejects.toThrow("out of coffee");
    const report = await verifySession(study.session);
    expect(report.findings.map((f) => [f.kind, f.severity, f.module])).toEqual([
      ["failed-run", "info", "broken:0.1.0"],
    ]);
    expect(report.findings[0]?.message).toContain("out of coffee");
  });

  it("refuses a folder that does not exist", async () => {
    await expect(verifySession(join(study.root, "none"))).rejects.toMatchObject({
      code: "E_PROV_READ",
    });
  });
});

describe("lineage", () => {
  const problems = (root: LineageNode) =>
    lineageNodes(root)
      .filter((node) => node.problem !== undefined)
      .map((node) => [basename(node.file), node.problem]);

  it("walks back two levels to the raw input", async () => {
    const tree = await lineage(study.second);
    const read = await readSessionRecords(study.session);
    const [a, b] = read.records;
    expect(tree.file).toBe(study.second);
    expect(tree.sha256).toBe(sha256(study.second));
    expect(tree.record).toEqual({
      id: b?.id,
      module: "count",
      version: "2.0.0",
      startTime: b?.startTime,
      status: "success",
    });
    expect(tree.inputs).toHaveLength(1);
    const mid = tree.inputs[0] as LineageNode;
    expect(mid.file).toBe(study.first);
    expect(mid.record?.id).toBe(a?.id);
    expect(mid.inputs.map((n) => [n.file, n.record, n.inputs])).toEqual([
      [study.raw, undefined, []],
    ]);
    expect(problems(tree)).toEqual([]);
  });

  it("flags an input changed after its record", async () => {
    writeFileSync(study.raw, "changed\n");
    const tree = await lineage(study.second);
    const found = problems(tree);
    expect(found).toHaveLength(1);
    expect(found[0]?.[0]).toBe(basename(study.raw));
    expect(found[0]?.[1]).toMatch(
      /^changed since upper:1\.0\.0 used it \(recorded sha256 \w{12}, now \w{12}\)$/,
    );
  });

  it("flags a parent that was produced again since", async () => {
    writeFileSync(study.raw, "changed\n");
    await upper.execute([study.raw], OPTIONS);
    const tree = await lineage(study.second);
    const mid = tree.inputs[0] as LineageNode;
    expect(mid.problem).toContain("changed since count:2.0.0 used it");
    expect(mid.problem).toContain("produced again since?");
    expect(mid.inputs[0]?.problem).toBeUndefined(); // the new upper run used the new input
  });

  it("shows an input used twice once, and notes a file updated in place", async () => {
    await join2.execute([study.first, study.first], OPTIONS);
    const joined = join(study.session, "proc", `${NAME}_upper_joined.txt`);
    const tree = await lineage(joined);
    expect(tree.inputs.map((n) => [n.file, n.record?.module, n.seen, n.inputs.length])).toEqual([
      [study.first, "upper", undefined, 1],
      [study.first, "upper", true, 0],
    ]);
    expect(problems(tree)).toEqual([]);

    await touchUp.execute([study.second], OPTIONS);
    const touched = await lineage(study.second);
    expect(touched.record?.module).toBe("touchup");
    expect(touched.problem).toBeUndefined();
    expect(touched.inputs.map((n) => [n.file, n.record?.module, n.seen, n.problem])).toEqual([
      [
        study.second,
        "touchup",
        true,
        "updated in place by touchup:1.0.0; the record of the version it read is not kept",
      ],
    ]);
    // The in-place run is the file's current record; the older run that made it is history.
    expect((await verifySession(study.session)).findings).toEqual([]);
  });

  it("stops at the depth limit and throws for a file that does not exist", async () => {
    const tree = await lineage(study.second, { maxDepth: 1 });
    expect(tree.inputs[0]?.inputs).toEqual([]);
    expect(tree.inputs[0]?.problem).toContain("depth limit 1");
    await expect(lineage(join(study.session, "proc", "nope.txt"))).rejects.toMatchObject({
      code: "E_PROV_READ",
    });
  });
});

describe("exports", () => {
  it("writes a PROV-JSON document with entities, activities, agents and relations", async () => {
    const { records } = await readSessionRecords(study.session);
    const [a, b] = records;
    if (!a || !b) throw new Error("records missing");
    const document = JSON.parse(JSON.stringify(exportProvJson(records)));
    const provKeys = [
      "prefix",
      "entity",
      "activity",
      "agent",
      "wasGeneratedBy",
      "used",
      "wasAssociatedWith",
      "wasDerivedFrom",
    ];
    expect(Object.keys(document).sort()).toEqual([...provKeys].sort());
    expect(document.prefix.prov).toBe("http://www.w3.org/ns/prov#");
    const rel = (path: string) => path.slice(study.project.length + 1);
    const raw = `radifox:file/${sha256(study.raw)}/${rel(study.raw)}`;
    const mid = `radifox:file/${sha256(study.first)}/${rel(study.first)}`;
    const out = `radifox:file/${sha256(study.second)}/${rel(study.second)}`;
    expect(Object.keys(document.entity).sort()).toEqual([mid, out, raw].sort());
    expect(document.entity[mid]).toMatchObject({
      "radifox:path": rel(study.first),
      "radifox:sha256": sha256(study.first),
    });
    const actA = `radifox:record/${a.id}`;
    const actB = `radifox:record/${b.id}`;
    expect(Object.keys(document.activity)).toEqual([actA, actB]);
    expect(document.activity[actA]).toMatchObject({
      "prov:startTime": a.startTime,
      "prov:endTime": endTimeOf(a.startTime, a.duration),
      "prov:label": "upper:1.0.0",
      "radifox:status": "success",
      "radifox:command": study.raw,
      "radifox:parameter": ["mode=strict"],
    });
    const pairs = (relation: string, from: string, to: string) =>
      Object.values(document[relation] as Record<string, Record<string, string>>).map((r) => [
        r[from],
        r[to],
      ]);
    expect(pairs("used", "prov:activity", "prov:entity")).toEqual([
      [actA, raw],
      [actB, mid],
    ]);
    expect(pairs("wasGeneratedBy", "prov:entity", "prov:activity")).toEqual([
      [mid, actA],
      [out, actB],
    ]);
    expect(pairs("wasDerivedFrom", "prov:generatedEntity", "prov:usedEntity")).toEqual([
      [mid, raw],
      [out, mid],
    ]);
    const container = "radifox:container/ghcr.io/lab/tools:v1.2@0123abcd";
    expect(pairs("wasAssociatedWith", "prov:activity", "prov:agent")).toEqual([
      [actA, "radifox:user/tester@host.example"],
      [actA, "radifox:software/upper/1.0.0"],
      [actA, container],
      [actB, "radifox:user/tester@host.example"],
      [actB, "radifox:software/count/2.0.0"],
      [actB, container],
    ]);
    expect(document.agent[container]).toMatchObject({
      "prov:type": { $: "prov:SoftwareAgent", type: "prov:QUALIFIED_NAME" },
      "radifox:containerHash": DIGEST,
    });
  });

  it("computes end times from start and duration", () => {
    expect(endTimeOf("2024-12-31T23:59:50", "0-00:00:15")).toBe("2025-01-01T00:00:05");
    expect(endTimeOf("2024-05-01T13:04:05", "1-02:03:00")).toBe("2024-05-02T15:07:05");
    expect(endTimeOf("yesterday", "0-00:00:01")).toBeUndefined();
  });

  it("writes the BIDS GeneratedBy list, one item per module and version", async () => {
    writeFileSync(study.raw, "changed\n");
    await upper.execute([study.raw], OPTIONS); // a second run of the same module and version
    const { records } = await readSessionRecords(study.session);
    expect(records).toHaveLength(3);
    const container = {
      Type: "docker",
      Tag: "ghcr.io/lab/tools:v1.2",
      URI: `docker://ghcr.io/lab/tools@${DIGEST}`,
    };
    expect(exportBidsGeneratedBy(records)).toEqual([
      { Name: "upper", Version: "1.0.0", Container: container },
      { Name: "count", Version: "2.0.0", Container: container },
    ]);
  });

  it("names containers without a digest by tag, and leaves out failed runs", () => {
    const base = (
      identity: { url: string | null; hash: string | null },
      status: "success" | "failed",
    ) =>
      parseRecords(
        renderRecord({
          module: "m",
          version: "1",
          container: { ...identity, builder: null, timestamp: null, source: "environment" },
          user: "u@h",
          startTime: "2024-01-01T00:00:00",
          duration: "0-00:00:01",
          projectRoot: "/p",
          inputs: {},
          outputs: {},
          parameters: [],
          command: "x",
          status,
        }),
      ).records[0] as NonNullable<ReturnType<typeof parseRecords>["records"][0]>;
    expect(
      exportBidsGeneratedBy([
        base({ url: "lab/img:2.0@abcdef12", hash: "sha256:dead" }, "success"),
      ]),
    ).toEqual([
      {
        Name: "m",
        Version: "1",
        Container: { Type: "docker", Tag: "lab/img:2.0", URI: "docker://lab/img:2.0" },
      },
    ]);
    expect(exportBidsGeneratedBy([base({ url: null, hash: null }, "success")])).toEqual([
      { Name: "m", Version: "1" },
    ]);
    expect(
      exportBidsGeneratedBy([base({ url: "lab/img:2.0@abcdef12", hash: null }, "failed")]),
    ).toEqual([]);
  });
});
