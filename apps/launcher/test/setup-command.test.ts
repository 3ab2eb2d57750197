// The xnat2bids setup command shipped in packages/xnat2bids/setup: XNAT accepts it, a BIDS app
// resolves through it as XCS would, the setup step it plans really makes the dataset, and
// command.json, the Containerfile's label and the package version agree.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateXnatArchive, openArchive } from "@xcs/archive";
import {
  checkCommand,
  dockerfileLabel,
  encodeCommandLabel,
  readCommand,
  validateCommand,
} from "@xcs/command-schema";
import { commandRegistry, type ResolvedCommand, resolveCommand } from "@xcs/resolver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { runCli } from "./support.js";

const here = dirname(fileURLToPath(import.meta.url));
const PACKAGE = join(here, "../../../packages/xnat2bids");
const SETUP = join(PACKAGE, "setup");
const COMMAND_FILE = join(SETUP, "command.json");
const CONTAINERFILE = join(SETUP, "Containerfile");

const commandText = readFileSync(COMMAND_FILE, "utf8");
const document = JSON.parse(commandText) as Record<string, unknown>;
const image = String(document.image);
const REFERENCE = `${image}:xnat2bids`;

/** A BIDS app on a session, as NrgXnat's bids-mriqc command, taking its input through the setup. */
const BIDS_APP = {
  name: "bids-app",
  description: "A BIDS app on the session's BIDS dataset",
  version: "1.0",
  type: "docker",
  image: "example/bids-app:1.0",
  "command-line": "bids-app /input /output participant",
  mounts: [
    { name: "in", writable: false, path: "/input" },
    { name: "out", writable: true, path: "/output" },
  ],
  outputs: [{ name: "output", description: "Results", mount: "out", required: true }],
  xnat: [
    {
      name: "bids-app-session",
      description: "Run the BIDS app with the session as a BIDS dataset",
      contexts: ["xnat:imageSessionData"],
      "external-inputs": [
        {
          name: "session",
          description: "Input session",
          type: "Session",
          required: true,
          "provides-files-for-command-mount": "in",
          "via-setup-command": REFERENCE,
          "load-children": false,
        },
      ],
      "output-handlers": [
        {
          name: "output-resource",
          "accepts-command-output": "output",
          "as-a-child-of": "session",
          type: "Resource",
          label: "BIDSAPP",
        },
      ],
    },
  ],
};

let scratch: string;
let root: string;
let sessionDir: string;
const SESSION = "S00001_MR1";
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "xcs-setup-command-"));
  root = join(scratch, "archive");
  generateXnatArchive({
    root,
    project: "P1",
    sessions: 1,
    scansPerSession: 2,
    resourcesPerScan: 2,
  });
  sessionDir = join(root, "P1", "arc001", SESSION);
  // What dcm2niix with BIDS sidecars leaves in a scan's NIFTI and BIDS resources.
  const put = (path: string, content: string) => {
    mkdirSync(dirname(join(sessionDir, path)), { recursive: true });
    writeFileSync(join(sessionDir, path), content);
  };
  put("SCANS/1/BIDS/sub-01_T1w.json", '{"RepetitionTime": 2.3}\n');
  put("SCANS/1/NIFTI/sub-01_T1w.nii.gz", "(nifti)");
  put("SCANS/2/BIDS/sub-01_T2w.json", '{"RepetitionTime": 3.2}\n');
  put("SCANS/2/NIFTI/sub-01_T2w.nii.gz", "(nifti)");
  put("RESOURCES/BIDS/dataset_description.json", '{"Name": "P1", "BIDSVersion": "1.8.0"}\n');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the xnat2bids setup command (packages/xnat2bids/setup)", () => {
  it("is a docker-setup command XNAT accepts as it is, by REST, in a label and as a model", () => {
    const { command, warnings } = readCommand(commandText);
    expect(warnings).toEqual([]);
    expect(command).toMatchObject({
      name: "xnat2bids",
      type: "docker-setup",
      image,
      commandLine: "xcs xnat2bids /input /output",
    });
    // XNAT's own validation: not a single message.
    expect(validateCommand(command)).toEqual([]);
    // The stricter checks: only the note that a tag is not a digest. A setup reference cannot
    // carry a digest (XCS splits it at every `:`), and the image is built after this file.
    for (const mode of ["rest", "label", "model"] as const) {
      const checked = checkCommand(commandText, { mode, lint: true });
      expect(checked.ok).toBe(true);
      if (checked.ok) {
        expect(checked.accepted).toBe(true);
        expect(checked.findings.map((f) => f.code)).toEqual(["lint-image-digest"]);
      }
    }
  });

  it("is tagged with the package's version", () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8"));
    // 0.0.0 is the workspace's version before the first release, which is 0.1.0.
    const release = manifest.version === "0.0.0" ? "0.1.0" : manifest.version;
    expect(image).toBe(`xcs/xnat2bids-setup:${release}`);
    expect(document.version).toBe(release);
    expect(manifest.files).toContain("setup");
  });

  it("is the Containerfile's org.nrg.commands label, and the build instructions use its tag", () => {
    const containerfile = readFileSync(CONTAINERFILE, "utf8");
    const labels = containerfile.split("\n").filter((line) => line.startsWith("LABEL "));
    const expected = dockerfileLabel([document]);
    expect(labels, `the Containerfile's label should be:\n${expected}`).toEqual([expected]);
    // What Docker hands over after unescaping is the label value of command.json.
    const value = expected
      .slice('LABEL org.nrg.commands="'.length, -1)
      .replace(/\\([\\"$])/g, "$1");
    expect(value).toBe(encodeCommandLabel([document]));
    expect(JSON.parse(value)).toEqual([document]);

    expect(containerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(containerfile).toMatch(/^USER (?!root\b)\S+$/m);
    expect(containerfile).toMatch(/^ENTRYPOINT \[\]$/m);
    expect(containerfile).toContain("command.json");
    expect(containerfile).toContain(`-t ${image} `);
    const readme = readFileSync(join(SETUP, "README.md"), "utf8");
    expect(readme).toContain(`-t ${image} `);
    expect(readme).toContain(`"via-setup-command": "${REFERENCE}"`);
  });

  it("puts the setup step between the session and a BIDS app's input mount", () => {
    const { command: setup } = readCommand(commandText);
    const { command: app } = readCommand(JSON.stringify(BIDS_APP));
    const build = join(scratch, "build");
    const plan = resolveCommand(app, {
      wrapper: "bids-app-session",
      inputs: { session: `/archive/experiments/${SESSION}` },
      settings: { buildPath: build, archivePath: root },
      source: openArchive(root),
      registry: commandRegistry([{ command: setup }]),
      materialize: false,
    });
    expect(plan.setupCommands).toHaveLength(1);
    const step = plan.setupCommands[0] as ResolvedCommand;
    expect(step).toMatchObject({
      commandName: "xnat2bids",
      image,
      type: "docker-setup",
      commandLine: "xcs xnat2bids /input /output",
      overrideEntrypoint: false,
    });
    expect(step.argv.cmd).toEqual(["xcs", "xnat2bids", "/input", "/output"]);
    const [input, output] = step.mounts;
    expect(input).toMatchObject({
      containerPath: "/input",
      writable: false,
      xnatHostPath: sessionDir,
    });
    expect(output).toMatchObject({ containerPath: "/output", writable: true });
    const main = plan.mounts.find((mount) => mount.name === "in");
    expect(main).toMatchObject({
      containerPath: "/input",
      hostPathKind: "setup-build",
      viaSetupCommand: REFERENCE,
      xnatHostPath: output?.xnatHostPath,
    });
    expect(output?.xnatHostPath.startsWith(build)).toBe(true);
  });

  it("runs: the planned setup step makes the BIDS dataset the app then reads", async () => {
    const { command: setup } = readCommand(commandText);
    const { command: app } = readCommand(JSON.stringify(BIDS_APP));
    const plan = resolveCommand(app, {
      wrapper: "bids-app-session",
      inputs: { session: SESSION },
      settings: { buildPath: join(scratch, "run-build") },
      source: openArchive(root),
      registry: commandRegistry([{ command: setup }]),
      materialize: true,
    });
    const step = plan.setupCommands[0] as ResolvedCommand;
    // The container's argv with its mount paths replaced by the host folders behind them.
    const hostPath = (arg: string) =>
      step.mounts.find((mount) => mount.containerPath === arg)?.xnatHostPath ?? arg;
    const [program, ...args] = step.argv.cmd ?? [];
    expect(program).toBe("xcs");
    const run = await runCli(args.map(hostPath));
    expect(run.code, run.stdout + run.stderr).toBe(EXIT.ok);
    expect(run.stdout).toContain("the BIDS check found no errors");
    const dataset = plan.mounts.find((mount) => mount.name === "in")?.xnatHostPath ?? "";
    for (const file of [
      "dataset_description.json",
      "sub-01/anat/sub-01_T1w.nii.gz",
      "sub-01/anat/sub-01_T2w.json",
    ]) {
      expect(existsSync(join(dataset, file)), file).toBe(true);
    }
  });

  it("is found by xcs resolve --registry", async () => {
    const appFile = join(scratch, "bids-app.json");
    writeFileSync(appFile, JSON.stringify(BIDS_APP));
    const { code, stdout, stderr } = await runCli([
      "resolve",
      "-c",
      appFile,
      "-w",
      "bids-app-session",
      "-a",
      root,
      "--on",
      SESSION,
      "--registry",
      COMMAND_FILE,
      "--build",
      join(scratch, "cli-build"),
      "--json",
    ]);
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    const { plan } = JSON.parse(stdout);
    expect(plan["setup-commands"]).toHaveLength(1);
    expect(plan["setup-commands"][0]).toMatchObject({
      image,
      "command-line": "xcs xnat2bids /input /output",
    });
  });
});
