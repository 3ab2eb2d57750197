// The module lifecycle beyond the original's vectors: its faults fixed, the extended record,
// container identity, logs, parents, external tools.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ImageFile } from "@radifox/naming";
import { afterAll, describe, expect, it } from "vitest";
import {
  closeHashPool,
  defineModule,
  detectContainer,
  filePath,
  hashFile,
  type ModuleArgs,
  ProcessingModule,
  ProvenanceError,
  parseRecords,
  provPathFor,
  type RunOptions,
  runExternal,
} from "../src/index.js";
import { logLines, tempDir } from "./support.js";

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  await closeHashPool();
});

const LABELS = {
  "ci.image": "ghcr.io/lab/tool",
  "ci.tag": "v1.2.0",
  "ci.commit": "0123456789abcdef",
  "ci.builder": "ci",
  "ci.timestamp": "2026-01-01T00:00:00Z",
  "ci.digest": "sha256:abc",
};
const OPTIONS: RunOptions = {
  container: { labels: LABELS, labelsFile: null },
  fqdn: "host.example.org",
  env: { USER: "tester" },
  qa: false,
  durable: false,
};

function study(): { root: string; raw: string; session: string } {
  const root = tempDir("prov-module-");
  roots.push(root);
  const session = join(root, "study", "SUBJ-1", "1");
  const raw = join(session, "nii", "SUBJ-1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.txt");
  mkdirSync(dirname(raw), { recursive: true });
  writeFileSync(raw, "raw data\n");
  return { root, raw, session };
}

/** A module that upper-cases its input into proc/<stem>_<suffix>.txt. */
function upper(suffix: string, behaviour: "ok" | "throw" | "empty" | "missing" = "ok") {
  return defineModule({
    name: `upper-${suffix}`,
    version: "1.0",
    cli: (args) =>
      args[0] === "--help" ? null : { in_file: new ImageFile(args[0] as string), level: 3 },
    run: ({ in_file }, { log }) => {
      const input = in_file as ImageFile;
      const out = join(
        dirname(dirname(input.path)),
        "proc",
        `${input.name.split(".")[0]}_${suffix}.txt`,
      );
      log.warning("a warning");
      if (behaviour === "throw") throw new Error("boom");
      if (behaviour === "empty") return {};
      if (behaviour === "missing") return { out: filePath(`${out}.missing`) };
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, readFileSync(input.path, "utf8").toUpperCase());
      return { out: filePath(out), none: null, empty: [] };
    },
  });
}

function sessionRecords(session: string) {
  const file = join(session, "SUBJ-1_1_Provenance.yml");
  return parseRecords(readFileSync(file, "utf8"), file);
}

describe("module lifecycle", () => {
  it("writes an extended record: status, parents, container source, host; null outputs and empty lists work", async () => {
    const { raw, session } = study();
    const result = await upper("a").execute([raw], OPTIONS);
    expect(result.status).toBe("success");
    const [record] = result.records;
    const text = readFileSync(
      provPathFor(join(session, "proc", "SUBJ-1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE_a.txt")),
      "utf8",
    );
    expect(text).toBe(record?.text);
    expect(text).toContain("  url: ghcr.io/lab/tool:v1.2.0@01234567\n");
    expect(text).toContain("  none: None\n  empty:\n");
    expect(text).toContain(
      "Status: success\nExitCode: 0\nParents: \n  in_file: None\nContainerSource: option\nHost: \n",
    );
    const parsed = sessionRecords(session).records[0];
    expect(parsed?.idMatches).toBe(true);
    expect(parsed?.parameters).toEqual([["level", "3"]]);
    expect(parsed?.inputs.in_file).toEqual({
      path: "SUBJ-1/1/nii/SUBJ-1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.txt",
      sha256: await hashFile(raw, false),
    });
  });

  it("links a record to the record that produced its input (Parents)", async () => {
    const { raw, session } = study();
    const first = await upper("a").execute([raw], OPTIONS);
    const made = join(session, "proc", "SUBJ-1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE_a.txt");
    const second = await upper("b").execute([made], OPTIONS);
    expect(second.records[0]?.text).toContain(`Parents: \n  in_file: ${first.records[0]?.id}\n`);
  });

  it("a run that throws: error logs kept, failure record in the session file, no .prov", async () => {
    const { raw, session } = study();
    const error = await upper("a", "throw")
      .execute([raw], OPTIONS)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvenanceError);
    expect(error).toMatchObject({ code: "E_PROV_RUN", module: "upper-a" });
    expect((error as Error).message).toContain("boom");
    const [record] = sessionRecords(session).records;
    expect(record).toMatchObject({
      status: "failed",
      exitCode: 1,
      error: "upper-a: boom",
      outputs: {},
    });
    const logs = readdirSync(join(session, "logs", "upper-a")).sort();
    expect(logs.map((name) => name.replace(/\d{14}/, "T"))).toEqual([
      "SUBJ-1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE-T-error.log",
      "SUBJ-1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE-T-info.log",
      "SUBJ-1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE-T-warning.log",
    ]);
    const errorLog = readFileSync(join(session, "logs", "upper-a", logs[0] as string), "utf8");
    expect(logLines(errorLog)).toEqual([["ERROR", "An error occurred during processing: boom."]]);
    expect(errorLog).toContain("Error: boom\n    at "); // the stack follows the message
    const warningLog = readFileSync(join(session, "logs", "upper-a", logs[2] as string), "utf8");
    expect(logLines(warningLog)).toEqual([["WARNING", "a warning"]]);
  });

  it("no outputs or a missing output is an error, not a silent exit 0", async () => {
    for (const behaviour of ["empty", "missing"] as const) {
      const { raw, session } = study();
      const error = await upper("a", behaviour)
        .execute([raw], OPTIONS)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "E_PROV_NO_OUTPUTS" });
      expect(sessionRecords(session).records[0]?.status).toBe("failed");
      expect(await upper("a", behaviour).main([raw], { ...OPTIONS, onLog: () => {} })).toBe(1);
    }
  });

  it("--help (cli returns null) works outside a container and writes nothing", async () => {
    const { root } = study();
    const before = JSON.stringify(readdirSync(root, { recursive: true }));
    const result = await upper("a").execute(["--help"], { container: { require: true } });
    expect(result.status).toBe("skipped");
    expect(JSON.stringify(readdirSync(root, { recursive: true }))).toBe(before);
  });

  it("outside a container the record says so; requiring one fails with the original's message", async () => {
    const { raw, session } = study();
    const outside = { ...OPTIONS, container: { labelsFile: null, env: {} } };
    const result = await upper("a").execute([raw], outside);
    expect(result.records[0]?.text).toContain(
      "Container: \n  url: None\n  hash: None\n  builder: None\n  timestamp: None\n",
    );
    expect(result.records[0]?.text).toContain("ContainerSource: none\n");
    const error = await upper("a")
      .execute([raw], { ...outside, container: { ...outside.container, require: true } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "E_PROV_CONTAINER",
      message: "Container labels not found. Running outside of container?",
    });
    expect(sessionRecords(session).records).toHaveLength(1);
  });

  it("the class form runs like defineModule", async () => {
    const { raw, session } = study();
    class Copy extends ProcessingModule<ModuleArgs> {
      name = "copy";
      version = "2";
      override logUsesFilename = false;
      cli(args: readonly string[]) {
        return { source: filePath(args[0] as string) };
      }
      run(args: ModuleArgs) {
        const out = join(session, "proc", "copy.txt");
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, readFileSync((args.source as { path: string }).path));
        return { out: filePath(out) };
      }
    }
    const result = await new Copy().execute([raw], OPTIONS);
    expect(result.logFiles.map((f) => f.slice(session.length))).toEqual([
      expect.stringMatching(/^\/logs\/copy-\d{14}-info\.log$/),
    ]);
  });
});

describe("container identity", () => {
  it("reads the labels file, then launcher variables", async () => {
    const { root } = study();
    const file = join(root, "labels.json");
    writeFileSync(file, JSON.stringify(LABELS));
    const fromFile = await detectContainer({ labelsFile: file });
    expect(fromFile.identity).toMatchObject({ source: "labels-file", hash: "sha256:abc" });
    const fromEnv = await detectContainer({
      labelsFile: join(root, "absent.json"),
      env: { RADIFOX_CONTAINER_IMAGE: "img", RADIFOX_CONTAINER_TAG: "t" },
    });
    expect(fromEnv.identity).toMatchObject({
      source: "environment",
      url: "img:t@None",
      hash: null,
    });
    expect(fromEnv.problems).toHaveLength(4);
    await expect(detectContainer({ labels: { "ci.image": "x" }, require: true })).rejects.toThrow(
      "Container is missing required labels.",
    );
  });
});

describe("external tools", () => {
  it("records a program's run; its exit status when it fails", async () => {
    const { raw, session } = study();
    const out = join(session, "proc", "copied.txt");
    mkdirSync(dirname(out), { recursive: true });
    const ok = await runExternal({
      ...OPTIONS,
      name: "cp",
      version: "9",
      inputs: [["src", raw]],
      outputs: [["dst", out]],
      params: [["mode", "plain"]],
      command: ["cp", raw, out],
    });
    expect(readFileSync(out, "utf8")).toBe("raw data\n");
    expect(ok.records[0]?.text).toContain(`Command: cp ${raw} ${out}\n`);
    const failed = await runExternal({
      ...OPTIONS,
      name: "sh",
      version: "1",
      inputs: [["src", raw]],
      outputs: [["dst", join(session, "proc", "never.txt")]],
      command: ["sh", "-c", "echo working; echo trouble >&2; exit 3"],
    }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: "E_PROV_RUN" });
    const records = sessionRecords(session).records;
    expect(records.at(-1)).toMatchObject({ status: "failed", exitCode: 3 });
    const logDir = join(session, "logs", "sh");
    const info = readdirSync(logDir).find((name) => name.endsWith("-info.log")) as string;
    expect(logLines(readFileSync(join(logDir, info), "utf8")).slice(2, 4)).toEqual([
      ["INFO", "working"],
      ["WARNING", "trouble"],
    ]);
  });
});

describe("hashing", () => {
  it("equals sha256sum for files larger than a read chunk, many at once", async () => {
    const { root } = study();
    const files = Array.from({ length: 6 }, (_, i) => {
      const path = join(root, `big-${i}.bin`);
      writeFileSync(path, Buffer.alloc(3_000_000 + i * 7919, i * 31 + 1));
      return path;
    });
    const ours = await Promise.all(files.map((file) => hashFile(file, false)));
    const theirs = execFileSync("sha256sum", files)
      .toString()
      .trim()
      .split("\n")
      .map((line) => line.split(" ")[0]);
    expect(ours).toEqual(theirs);
    await expect(hashFile(join(root, "absent"), false)).rejects.toMatchObject({
      code: "E_PROV_HASH",
    });
  });
});
