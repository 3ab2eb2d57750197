// xcs archive ls: the listing of an XNAT-layout archive, as text and as JSON, and its errors.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { archiveTree, formatArchiveTree, generateXnatArchive, openXnatArchive } from "@xcs/archive";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { runCli } from "./support.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "xcs-archive-ls-"));
  generateXnatArchive({
    root,
    project: "P1",
    sessions: 2,
    scansPerSession: 2,
    resourcesPerScan: 1,
  });
  generateXnatArchive({ root, project: "P2", sessions: 1, scansPerSession: 1, accessionIds: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("xcs archive ls", () => {
  it("prints the tree of every project", async () => {
    const { code, stdout, stderr } = await runCli(["archive", "ls", root]);
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    expect(stdout).toBe(formatArchiveTree(openXnatArchive(root)));
    expect(stdout).toContain(
      [
        'project P2  "Generated project P2"',
        "└── subject S00001 [P2_S00001]  group control",
        "    └── session S00001_MR1 [P2_E00001]  xnat:mrSessionData",
        '        └── scan 1  T1w  "MPRAGE sag"',
        "            └── resource NIFTI (1 file)",
        "2 projects, 3 subjects, 3 sessions, 5 scans, 5 resources, 5 files",
      ].join("\n"),
    );
  });

  it("--project, --depth and a root relative to the working folder", async () => {
    const { code, stdout } = await runCli(["archive", "ls", "-p", "P1", "--depth", "3", "."], {
      cwd: root,
    });
    expect(code).toBe(EXIT.ok);
    expect(stdout).toBe(
      [
        'project P1  "Generated project P1"',
        "├── subject S00001  group control",
        "│   └── session S00001_MR1  xnat:mrSessionData",
        "└── subject S00002  group patient",
        "    └── session S00002_MR1  xnat:mrSessionData",
        "1 project, 2 subjects, 2 sessions",
        "",
      ].join("\n"),
    );
  });

  it("--json prints the objects as XCS serialises them", async () => {
    const { code, stdout } = await runCli(["archive", "ls", root, "--json", "--project", "P2"]);
    expect(code).toBe(EXIT.ok);
    const listing = JSON.parse(stdout);
    expect(listing).toEqual(archiveTree(openXnatArchive(root), { project: "P2" }));
    expect(listing.projects[0].subjects[0].sessions[0]).toMatchObject({
      type: "Session",
      id: "P2_E00001",
      uri: "/archive/projects/P2/subjects/P2_S00001/experiments/P2_E00001",
      scans: [{ label: "1 - T1w", resources: [{ label: "NIFTI", files: [{ size: 15 }] }] }],
    });
  });

  it("--layout forces the layout", async () => {
    const { code, stdout } = await runCli(["archive", "ls", root, "-l", "xnat", "-d", "1"]);
    expect([code, stdout]).toEqual([
      EXIT.ok,
      'project P1  "Generated project P1"\nproject P2  "Generated project P2"\n2 projects\n',
    ]);
  });

  it("exits 2 with one line when the archive or the project cannot be read", async () => {
    const missing = await runCli(["archive", "ls", join(root, "missing")]);
    expect([missing.code, missing.stdout]).toEqual([EXIT.unreadable, ""]);
    expect(missing.stderr).toBe(`xcs: ${join(root, "missing")}: not a folder\n`);
    const json = await runCli(["archive", "ls", join(root, "missing"), "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { exitCode: 2, message: `${join(root, "missing")}: not a folder` },
    });
    const project = await runCli(["archive", "ls", root, "--project", "P9"]);
    expect([project.code, project.stderr]).toEqual([
      EXIT.unreadable,
      `xcs: ${root}: no project P9\n`,
    ]);

    const broken = mkdtempSync(join(tmpdir(), "xcs-archive-bad-"));
    try {
      generateXnatArchive({ root: broken, project: "B", sessions: 1 });
      const file = join(broken, "B/arc001/S00001_MR1/session.json");
      writeFileSync(file, '{"scans": [{"id": "1", "frames": "12"}]}');
      const bad = await runCli(["archive", "ls", broken]);
      expect([bad.code, bad.stderr]).toEqual([
        EXIT.unreadable,
        `xcs: ${file} /scans/0/frames: must be a whole number >= 0, not string "12"\n`,
      ]);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it("exits 2 on bad arguments, and documents itself", async () => {
    for (const args of [
      ["archive"],
      ["archive", "ls"],
      ["archive", "ls", root, root],
      ["archive", "ls", root, "--depth", "0"],
      ["archive", "ls", root, "--depth", "two"],
      ["archive", "ls", root, "--bogus"],
      ["archive", "ls", root, "--layout", "bids"],
      ["archive", "rm", root],
    ]) {
      const { code, stdout } = await runCli(args);
      expect([args, code, stdout]).toEqual([args, EXIT.usage, ""]);
    }
    expect((await runCli(["archive", "ls", "--help"])).stdout).toContain("Usage: xcs archive ls");
    expect((await runCli(["help", "archive"])).stdout).toContain("--depth <n>");
    expect((await runCli(["--help"])).stdout).toContain("archive ls <root>");
  });
});
