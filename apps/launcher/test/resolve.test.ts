// xcs resolve: plans of XCS's own test commands against archives written from XCS's fixture
// objects, the docker-images dcm2niix command on a RADIFOX study, and the errors. Expectations
// are derived from the fixture files at test time.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateStudy } from "@radifox/synth";
import { openArchive, type XnatScan, type XnatSession } from "@xcs/archive";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import {
  type FixtureObject,
  type WrittenArchive,
  writeArchiveFromObjects,
} from "./fixture-archive.js";
import { CONFORMANCE, conformancePresent, runCli } from "./support.js";

const present = conformancePresent();
const CS = join(CONFORMANCE, "fixtures/container-service");
const DOCKER_IMAGES = join(CONFORMANCE, "fixtures/docker-images");
const RESOLUTION_COMMAND = join(CS, "commandResolutionTest__command.json");
const RECON_ALL = join(CS, "commandLaunchTest__fakeReconAllCommand.json");
const WITH_SETUP = join(CS, "setupCommand__command-with-setup-command.json");
const SETUP = join(CS, "setupCommand__setup-command.json");
const DCM2NIIX = join(DOCKER_IMAGES, "NrgXnat__docker-images__dcm2niix__command.json");

// The JSON plan: XCS's ResolvedCommand with kebab-case keys.
interface PlanValue {
  name: string;
  value: string;
  type: string;
  sensitive: boolean;
}
interface PlanMount {
  name: string;
  writable: boolean;
  "container-path": string;
  "xnat-host-path": string;
  "container-host-path": string;
  "via-setup-command": string | null;
  "host-path-kind": string;
  "from-input": string | null;
}
interface PlanOutput {
  name: string;
  type: string;
  required: boolean;
  mount: string | null;
  path: string | null;
  label: string | null;
  "handled-by": string;
}
interface Plan {
  image: string;
  "command-line": string;
  "environment-variables": Record<string, string>;
  "raw-input-values": Record<string, string | null>;
  mounts: PlanMount[];
  outputs: PlanOutput[];
  "setup-commands": Plan[];
  secrets: { value: string }[];
  "external-wrapper-input-values": PlanValue[];
  "derived-input-values": PlanValue[];
  "command-input-values": PlanValue[];
  argv: { entrypoint: string | null; cmd: string[] };
}

// Just enough of a command document to derive expectations from it.
interface CommandInput {
  name: string;
  "default-value"?: unknown;
  "command-line-flag"?: string;
  "replacement-key"?: string;
  "via-setup-command"?: string;
  "provides-value-for-command-input"?: string;
}
interface CommandDoc {
  image: string;
  "command-line": string;
  inputs?: CommandInput[];
  outputs?: { name: string; path?: string; required?: unknown }[];
  xnat: {
    name: string;
    "external-inputs"?: CommandInput[];
    "derived-inputs"?: CommandInput[];
    "output-handlers"?: {
      name: string;
      "accepts-command-output": string;
      "as-a-child-of"?: string;
      "as-a-child-of-wrapper-input"?: string;
      label?: string;
    }[];
  }[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
const fixture = (name: string) => readJson<FixtureObject>(join(CS, name));
const objects = (value: unknown): FixtureObject[] => (Array.isArray(value) ? value : []);

let tmp: string;
let count = 0;
/** A fresh folder for one archive. */
const freshDir = (name: string) => {
  const dir = join(tmp, `${++count}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "xcs-resolve-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `xcs resolve <args> --json`, with the plan parsed. */
async function resolvePlan(args: string[]) {
  const run = await runCli(["resolve", ...args, "--json"]);
  const document = JSON.parse(run.stdout) as { plan: Plan; explain?: string[] };
  return { ...run, plan: document.plan, explain: document.explain };
}

const byName = (values: readonly PlanValue[]) =>
  Object.fromEntries(values.map((value) => [value.name, value.value]));

/** The archive URI a fixture object was written to; the archive finds the same object there. */
function uriOf(written: WrittenArchive, object: FixtureObject): string {
  const uri = written.uris.get(String(object.uri));
  expect(uri, `archive URI of ${String(object.uri)}`).toBeDefined();
  const found = openArchive(written.root).byUri(uri ?? "", { include: new Set() });
  expect(found?.type).toBe(object.type);
  // Resources are named by label in the archive (the fixtures give numbers), files by name.
  if (object.type === "Resource") expect(found?.label).toBe(object.label);
  else if (object.type === "File") expect(found?.label).toBe(object.name);
  else expect(found?.id).toBe(String(object.id));
  return uri ?? "";
}

describe.skipIf(!present)("xcs resolve: the wrappers of commandResolutionTest", () => {
  const command = present ? readJson<CommandDoc>(RESOLUTION_COMMAND) : undefined;
  const wrapperInput = (wrapper: string, name: string) =>
    command?.xnat
      .find((each) => each.name === wrapper)
      ?.["external-inputs"]?.find((input) => input.name === name);
  /** The scans of a session whose type is in the wrapper's default T1-scantype list. */
  const t1Scans = (wrapper: string, session: FixtureObject) => {
    const types = JSON.parse(
      `[${String(wrapperInput(wrapper, "T1-scantype")?.["default-value"])}]`,
    );
    return objects(session.scans).filter((scan) => types.includes(scan["scan-type"]));
  };

  interface WrapperCase {
    wrapper: string;
    fixture: string;
    project: string;
    /** What `--on` names. */
    on(written: WrittenArchive, object: FixtureObject): string;
    /** The wrapper input values and the command input values. */
    expected(
      written: WrittenArchive,
      object: FixtureObject,
    ): { wrapper: Record<string, string>; command: Record<string, string> };
  }

  const sessionScanMult = (wrapper: string, property: boolean): WrapperCase => ({
    wrapper,
    fixture: "commandResolutionTest__testSessionScanMult__session.json",
    project: "P1",
    on: (written, session) => uriOf(written, session),
    expected: (written, session) => {
      const scans = t1Scans(wrapper, session);
      const values = scans.map((scan) => (property ? String(scan.id) : uriOf(written, scan)));
      return {
        wrapper: {
          "T1-scantype": String(wrapperInput(wrapper, "T1-scantype")?.["default-value"]),
          session: uriOf(written, session),
          scan: values.join(", "),
        },
        command: { whatever: values.join(" "), "file-path": "null" },
      };
    },
  });

  const cases: WrapperCase[] = [
    {
      wrapper: "session-scan-resource",
      fixture: "commandResolutionTest__testSessionScanResource__session.json",
      project: "P1",
      on: (_, session) => String(session.label),
      expected: (written, session) => {
        const [scan] = t1Scans("session-scan-resource", session);
        if (scan === undefined) throw new Error("the fixture has no T1 scan");
        const dicom = objects(scan.resources).find((resource) => resource.label === "DICOM");
        if (dicom === undefined) throw new Error("the fixture scan has no DICOM resource");
        const wrapper: Record<string, string> = {
          "T1-scantype": String(
            wrapperInput("session-scan-resource", "T1-scantype")?.["default-value"],
          ),
          session: uriOf(written, session),
          scan: uriOf(written, scan),
          dicom: uriOf(written, dicom),
          "scan-id": String(scan.id),
        };
        for (const key of ["frames", "series-description", "modality", "quality", "note"])
          wrapper[key] = String(scan[key]);
        return { wrapper, command: { whatever: String(scan.id), "file-path": "null" } };
      },
    },
    sessionScanMult("session-scan-mult", true),
    sessionScanMult("session-scan-mult-uri", false),
    {
      wrapper: "session-assessor",
      fixture: "commandResolutionTest__testSessionAssessor__session.json",
      project: "P1",
      on: (_, session) => String(session.id),
      expected: (written, session) => {
        const [assessor] = objects(session.assessors);
        if (assessor === undefined) throw new Error("the fixture has no assessor");
        return {
          wrapper: {
            session: uriOf(written, session),
            assessor: uriOf(written, assessor),
            "assessor-label": String(assessor.label),
          },
          command: { whatever: String(assessor.label), "file-path": "null" },
        };
      },
    },
    {
      wrapper: "project",
      fixture: "commandResolutionTest__testProject__project.json",
      project: "aProject",
      on: (_, project) => String(project.id),
      expected: (written, project) => ({
        wrapper: { project: uriOf(written, project), "project-label": String(project.label) },
        command: { whatever: String(project.label), "file-path": "null" },
      }),
    },
    {
      wrapper: "project-subject",
      fixture: "commandResolutionTest__testProjectSubject__project.json",
      project: "aProject",
      on: (written, project) => uriOf(written, project),
      expected: (written, project) => {
        const [subject] = objects(project.subjects);
        if (subject === undefined) throw new Error("the fixture has no subject");
        return {
          wrapper: {
            project: uriOf(written, project),
            subject: uriOf(written, subject),
            "project-label": String(project.label),
          },
          command: { whatever: String(project.label), "file-path": "null" },
        };
      },
    },
    {
      // A scan on its own: written into a holder session, launched on its URI.
      wrapper: "scan-resource-file",
      fixture: "commandResolutionTest__testResourceFile__scan.json",
      project: "P1",
      on: (written, scan) => uriOf(written, scan),
      expected: (written, scan) => {
        const [resource] = objects(scan.resources);
        const [file] = objects(resource?.files);
        if (resource === undefined || file === undefined)
          throw new Error("the fixture scan has no resource with a file");
        const [sessionDir] = [...written.sessionDirs.values()];
        const path = join(
          sessionDir ?? "",
          "SCANS",
          String(scan.id),
          String(resource.label),
          String(file.name),
        );
        return {
          wrapper: {
            "a-scan": uriOf(written, scan),
            "a-resource": uriOf(written, resource),
            "a-file": uriOf(written, file),
            "a-file-path": path,
            "scan-id": String(scan.id),
          },
          // Both a-file and a-file-path provide file-path; the later one wins, as in XCS.
          command: { "file-path": path, whatever: String(scan.id) },
        };
      },
    },
  ];

  it("covers every wrapper of the command", () => {
    expect(cases.map((each) => each.wrapper).sort()).toEqual(
      command?.xnat.map((wrapper) => wrapper.name).sort(),
    );
  });

  it.each(cases)("$wrapper on its fixture object", async (testCase) => {
    const object = fixture(testCase.fixture);
    const written = writeArchiveFromObjects(freshDir(testCase.wrapper), testCase.project, [object]);
    const { code, stderr, plan } = await resolvePlan([
      "--command",
      RESOLUTION_COMMAND,
      "--read-mode",
      "model",
      "--wrapper",
      testCase.wrapper,
      "--archive",
      written.root,
      "--on",
      testCase.on(written, object),
    ]);
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    expect(plan["command-line"]).toBe(command?.["command-line"]);
    expect(plan["command-line"]).toBe("echo hello world");
    expect(plan.argv).toEqual({ entrypoint: null, cmd: ["echo", "hello", "world"] });
    expect(plan.image).toBe(command?.image);
    expect([plan.mounts, plan.outputs, plan["setup-commands"]]).toEqual([[], [], []]);
    const expected = testCase.expected(written, object);
    expect(
      byName([...plan["external-wrapper-input-values"], ...plan["derived-input-values"]]),
    ).toEqual(expected.wrapper);
    expect(byName(plan["command-input-values"])).toEqual(expected.command);
  });

  it("prints the same plan as text", async () => {
    const session = fixture("commandResolutionTest__testSessionScanResource__session.json");
    const written = writeArchiveFromObjects(freshDir("text"), "P1", [session]);
    const [scan] = objects(session.scans);
    const { code, stdout, stderr } = await runCli([
      "resolve",
      "-c",
      RESOLUTION_COMMAND,
      "--read-mode",
      "model",
      "-w",
      "session-scan-resource",
      "-a",
      written.root,
      "--on",
      String(session.label),
      "--explain",
    ]);
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    const lines = stdout.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      `command hello-world · wrapper session-scan-resource · image ${command?.image}`,
      "command line: echo hello world",
      'argv (image entrypoint kept): ["echo","hello","world"]',
      'safe argv: ["echo","hello","world"]',
    ]);
    expect(stdout).toContain("mounts: none\noutputs: none\n");
    expect(stdout).toContain(
      `      scan-id (derived, required): ${JSON.stringify(scan?.id)} <- property id of scan ($.id)\n` +
        `        whatever (command): ${JSON.stringify(scan?.id)} <- provided by wrapper input scan-id\n`,
    );
    expect(stdout).toContain(
      `  session (external, required): "${uriOf(written, session)}" <- given value\n`,
    );
  });
});

describe.skipIf(!present)("xcs resolve: fake recon-all on a session", () => {
  const command = present ? readJson<CommandDoc>(RECON_ALL) : undefined;
  const wrapper = command?.xnat[0];
  const session = present ? fixture("commandLaunchTest__session.json") : {};
  const [scan] = objects(session.scans);
  let written: WrittenArchive;
  let build: string;
  const args = () => [
    "--command",
    RECON_ALL,
    "--wrapper",
    wrapper?.name ?? "",
    "--archive",
    written.root,
    "--on",
    String(session.label),
    "--input",
    `T1-scantype=${String(scan?.["scan-type"])}`,
    "--build",
    build,
  ];

  beforeAll(() => {
    const root = freshDir("recon-all");
    const project = fixture("commandLaunchTest__project.json");
    written = writeArchiveFromObjects(join(root, "archive"), String(project.id), [
      project,
      session,
    ]);
    build = join(root, "build");
  });

  it("plans the command line, the mounts and the outputs", async () => {
    const { code, stderr, plan } = await resolvePlan(args());
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    // #SUBJECT_ID# is the session label with its flag, #OTHER_ARGS# the default.
    const subject = command?.inputs?.find((input) => input.name === "subject-id");
    const other = command?.inputs?.find((input) => input.name === "other-recon-all-args");
    const line = String(command?.["command-line"])
      .replace(
        String(subject?.["replacement-key"]),
        `${subject?.["command-line-flag"]} ${session.label}`,
      )
      .replace(String(other?.["replacement-key"]), String(other?.["default-value"]));
    expect(plan["command-line"]).toBe(line);
    expect(plan["command-line"]).toContain(` ${session.label} `);
    // override-entrypoint: the line runs in a shell, the image's entrypoint cleared.
    expect(plan.argv).toEqual({ entrypoint: "", cmd: ["/bin/sh", "-c", line] });

    const sessionDir = written.sessionDirs.get(String(session.label)) ?? "";
    const dicom = objects(scan?.resources).find((resource) => resource.label === "DICOM");
    expect(plan.mounts).toHaveLength(2);
    expect(plan.mounts[0]).toMatchObject({
      name: "input",
      writable: false,
      "container-path": "/input",
      "xnat-host-path": join(sessionDir, "SCANS", String(scan?.id), String(dicom?.label)),
      "host-path-kind": "archive",
      "from-input": "resource",
    });
    expect(plan.mounts[1]).toMatchObject({
      name: "output",
      writable: true,
      "container-path": "/output",
      "host-path-kind": "build",
      "from-input": null,
    });
    expect(plan.mounts[1]?.["xnat-host-path"].startsWith(`${build}/`)).toBe(true);

    expect(plan.outputs.map((output) => output.name)).toEqual(
      wrapper?.["output-handlers"]?.map(
        (handler) => `${handler["accepts-command-output"]}:${handler.name}`,
      ),
    );
    for (const [index, handler] of (wrapper?.["output-handlers"] ?? []).entries()) {
      const output = command?.outputs?.find(
        (each) => each.name === handler["accepts-command-output"],
      );
      expect(plan.outputs[index]).toMatchObject({
        type: "Resource",
        "handled-by": handler["as-a-child-of"],
        label: handler.label,
        mount: "output",
        path: String(output?.path).replace(
          String(subject?.["replacement-key"]),
          String(session.label),
        ),
      });
    }
  });

  it("--explain lists every input with its value and origin", async () => {
    const { code, stdout, stderr } = await runCli(["resolve", ...args(), "--explain"]);
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    const explained = stdout.slice(stdout.indexOf("\ninputs:\n"));
    const names = [
      ...(wrapper?.["external-inputs"] ?? []),
      ...(wrapper?.["derived-inputs"] ?? []),
      ...(command?.inputs ?? []),
    ].map((input) => input.name);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(explained).toMatch(new RegExp(`\\n +${name} \\(`));
    expect(explained).toContain(
      `    label (derived, required): "${session.label}" <- property label of session ($.label)\n`,
    );
    expect(explained).toContain(
      `  T1-scantype (external, required): "${scan?.["scan-type"]}" <- given value\n`,
    );
    expect(stdout).toContain("\nmounts:\n  input: /input ro <- ");
    expect(stdout).toContain('\noutputs:\n  data:data-output: Resource "DATA" into session');
  });

  it("exits 1 naming the input when the folder of a read-only mount is gone", async () => {
    const copy = writeArchiveFromObjects(freshDir("recon-all-gone"), "project", [session]);
    const sessionDir = copy.sessionDirs.get(String(session.label)) ?? "";
    rmSync(join(sessionDir, "SCANS", String(scan?.id), "DICOM"), { recursive: true });
    const run = await runCli([
      "resolve",
      ...args().map((arg) => (arg === written.root ? copy.root : arg)),
    ]);
    expect([run.code, run.stdout]).toEqual([EXIT.invalid, ""]);
    expect(run.stderr).toBe(
      'xcs: cannot resolve: Mount "input" should have a root path but does not. (input "resource") (CommandResolutionException)\n',
    );
  });
});

describe.skipIf(!present)("xcs resolve: a setup command", () => {
  const command = present ? readJson<CommandDoc>(WITH_SETUP) : undefined;
  const setup = present ? readJson<CommandDoc>(SETUP) : undefined;
  const resource = present ? fixture("setupCommand__resource.json") : {};
  let written: WrittenArchive;
  let build: string;
  const args = () => [
    "--command",
    WITH_SETUP,
    "--wrapper",
    command?.xnat[0]?.name ?? "",
    "--archive",
    written.root,
    "--on",
    uriOf(written, resource),
    "--build",
    build,
  ];

  beforeAll(() => {
    const root = freshDir("setup");
    written = writeArchiveFromObjects(join(root, "archive"), "P1", [resource]);
    build = join(root, "build");
  });

  it("puts the setup command from --registry between the resource and the mount", async () => {
    const { code, stderr, plan } = await resolvePlan([...args(), "--registry", SETUP]);
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    const via = command?.xnat[0]?.["external-inputs"]?.[0]?.["via-setup-command"];
    const [main] = plan.mounts;
    expect(plan.mounts).toHaveLength(1);
    expect(main).toMatchObject({
      name: "input",
      "container-path": "/input",
      writable: false,
      "host-path-kind": "setup-build",
      "via-setup-command": via,
      "from-input": "resource",
    });
    expect(plan["setup-commands"]).toHaveLength(1);
    const [step] = plan["setup-commands"];
    expect(step?.image).toBe(setup?.image);
    expect(step?.["command-line"]).toBe(setup?.["command-line"]);
    const [sessionDir] = [...written.sessionDirs.values()];
    const scanId = /\/scans\/([^/]+)\//.exec(String(resource.uri))?.[1];
    expect(step?.mounts).toEqual([
      expect.objectContaining({
        name: "input",
        "container-path": "/input",
        writable: false,
        "host-path-kind": "archive",
        "xnat-host-path": join(sessionDir ?? "", "SCANS", String(scanId), String(resource.label)),
      }),
      expect.objectContaining({
        name: "output",
        "container-path": "/output",
        writable: true,
        "xnat-host-path": main?.["xnat-host-path"],
      }),
    ]);
    expect(main?.["xnat-host-path"].startsWith(`${build}/`)).toBe(true);

    const text = await runCli(["resolve", ...args(), "--registry", SETUP]);
    expect(text.stdout).toContain(
      `\nsetup commands:\n  setup-command (${setup?.image}) for resource: `,
    );
  });

  it("exits 1 naming the setup image when the registry does not have it", async () => {
    const run = await runCli(["resolve", ...args()]);
    expect([run.code, run.stdout]).toEqual([EXIT.invalid, ""]);
    expect(run.stderr).toContain(String(setup?.image));
    expect(run.stderr).toMatch(/^xcs: cannot resolve: /);
  });
});

describe.skipIf(!present)("xcs resolve: docker-images dcm2niix on a RADIFOX study", () => {
  let root: string;
  let dicomDir: string;
  let withDicom: XnatScan;
  let withoutDicom: XnatScan;

  beforeAll(async () => {
    root = freshDir("radifox");
    const study = await generateStudy({ root, shape: [4, 4, 3], sessions: 1, images: 2, seed: 5 });
    const session = study.subjects[0]?.sessions[0];
    const image = session?.images[0] ?? "";
    // radifox-convert keeps the sorted DICOM of a series in the folder the sidecar names.
    const sidecar = readJson<{ SeriesInfo: { SourcePath: string } }>(
      image.replace(/\.nii\.gz$/, ".json"),
    );
    dicomDir = join(session?.dir ?? "", sidecar.SeriesInfo.SourcePath);
    mkdirSync(dicomDir, { recursive: true });
    writeFileSync(join(dicomDir, "IM0001.dcm"), "not really DICOM\n");

    const archive = openArchive(root);
    expect(archive.layout).toBe("radifox");
    const [project] = archive.projects();
    const [first] = archive.sessions(project?.id ?? "");
    const loaded = archive.byUri(first?.uri ?? "") as XnatSession;
    const hasDicom = (scan: XnatScan) => scan.resources.some((each) => each.label === "DICOM");
    const scans = loaded.scans;
    expect(scans).toHaveLength(2);
    withDicom = scans.find(hasDicom) as XnatScan;
    withoutDicom = scans.find((scan) => !hasDicom(scan)) as XnatScan;
    // The DICOM resource is on the scan of the image whose sidecar names the folder.
    const nifti = withDicom.resources.find((each) => each.label === "NIFTI");
    expect(nifti?.files.map((file) => file.path)).toContain(image);
  });

  it("mounts the scan's DICOM folder read-only and sends the output to the scan", async () => {
    const { code, stderr, plan } = await resolvePlan([
      "-c",
      DCM2NIIX,
      "-w",
      "dcm2niix-scan",
      "-a",
      root,
      "--on",
      withDicom.uri ?? "",
      "--build",
      join(root, "..", "radifox-build"),
    ]);
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    expect(plan.image).toBe("xnat/dcm2niix:latest");
    expect(plan["command-line"]).toBe("dcm2niix -b n  -o /output /input");
    expect(plan.argv.cmd).toEqual(["dcm2niix", "-b", "n", "-o", "/output", "/input"]);
    expect(byName(plan["external-wrapper-input-values"])).toEqual({ scan: withDicom.uri });
    expect(byName(plan["derived-input-values"])).toEqual({
      "scan-dicoms": `${withDicom.uri}/resources/DICOM`,
    });
    expect(plan.mounts).toEqual([
      expect.objectContaining({
        name: "dicom-in",
        "container-path": "/input",
        writable: false,
        "host-path-kind": "archive",
        "xnat-host-path": dicomDir,
        "from-input": "scan-dicoms",
      }),
      expect.objectContaining({
        name: "nifti-out",
        "container-path": "/output",
        writable: true,
        "host-path-kind": "build",
      }),
    ]);
    expect(plan.outputs).toEqual([
      expect.objectContaining({
        name: "nifti:nifti-resource",
        type: "Resource",
        "handled-by": "scan",
        label: "NIFTI",
        mount: "nifti-out",
        required: true,
      }),
    ]);
  });

  it("exits 1 with XCS's message for a scan without DICOM", async () => {
    const run = await runCli([
      "resolve",
      "-c",
      DCM2NIIX,
      "-w",
      "dcm2niix-scan",
      "-a",
      root,
      "--on",
      withoutDicom.uri ?? "",
    ]);
    expect([run.code, run.stdout]).toEqual([EXIT.invalid, ""]);
    expect(run.stderr).toContain(
      'Input "scan-dicoms" could not be resolved for this item. You might check the JSONPath matchers in command.json and confirm that this item has Resource data.',
    );
  });
});

describe.skipIf(!present)("xcs resolve: bad input", () => {
  let written: WrittenArchive;
  const session = present
    ? fixture("commandResolutionTest__testSessionAssessor__session.json")
    : {};
  const base = (wrapper = "session-assessor") => [
    "resolve",
    "--command",
    RESOLUTION_COMMAND,
    "--read-mode",
    "model",
    "--wrapper",
    wrapper,
    "--archive",
    written.root,
  ];

  beforeAll(() => {
    written = writeArchiveFromObjects(freshDir("bad"), "P1", [session]);
  });

  it("exits 1 for an unknown wrapper, listing the known ones", async () => {
    const run = await runCli([...base("no-such-wrapper"), "--on", String(session.label)]);
    expect([run.code, run.stdout]).toEqual([EXIT.invalid, ""]);
    expect(run.stderr).toContain('has no wrapper "no-such-wrapper"');
    const known = readJson<CommandDoc>(RESOLUTION_COMMAND).xnat.map((wrapper) => wrapper.name);
    for (const name of known) expect(run.stderr).toContain(name);
  });

  it("exits 1 when --on names nothing in the archive, or an object of another type", async () => {
    for (const on of ["no-such-session", "/archive/experiments/no-such-session"]) {
      const run = await runCli([...base(), "--on", on]);
      expect([run.code, run.stdout]).toEqual([EXIT.invalid, ""]);
      expect(run.stderr).toBe(`xcs: cannot resolve: no Session "${on}" in ${written.root}\n`);
    }
    const project = await runCli([...base(), "--on", "/archive/projects/P1"]);
    expect(project.code).toBe(EXIT.invalid);
    expect(project.stderr).toContain('"/archive/projects/P1" is a Project');
    const json = await runCli([...base(), "--on", "nothing", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { exitCode: 1, message: `cannot resolve: no Session "nothing" in ${written.root}` },
    });
  });

  it("exits 2 on bad arguments", async () => {
    const on = ["--on", String(session.label)];
    for (const args of [
      ["resolve", "--wrapper", "w", "--archive", written.root],
      [...base(), ...on, "--input", "novalue"],
      [...base(), ...on, "--input", "=value"],
      [...base(), ...on, "--mode", "strict"],
      [...base(), ...on, "--read-mode", "label"],
      [...base(), ...on, "extra"],
      [...base(), ...on, "--bogus"],
    ]) {
      const run = await runCli(args);
      expect([run.code, run.stdout], args.join(" ")).toEqual([EXIT.usage, ""]);
      expect(run.stderr).toMatch(/^xcs: .*\n$/);
    }
    const missing = await runCli(["resolve", "--wrapper", "w", "--archive", written.root]);
    expect(missing.stderr).toBe("xcs: --command is required; see xcs resolve --help\n");
    const input = await runCli([...base(), ...on, "-i", "novalue"]);
    expect(input.stderr).toContain("--input needs name=value, got 'novalue'");
  });

  it("exits 2 when the command, a registry file or the archive cannot be read", async () => {
    const dir = freshDir("unreadable");
    const notJson = join(dir, "not-json.json");
    writeFileSync(notJson, '{"name": "broken",');
    const notCommand = join(dir, "list.json");
    writeFileSync(notCommand, "[]");
    const missing = join(dir, "missing.json");
    for (const path of [missing, dir, notJson, notCommand]) {
      const args = [...base(), "--on", String(session.label)];
      args[args.indexOf(RESOLUTION_COMMAND)] = path;
      const run = await runCli(args);
      expect([run.code, run.stdout], path).toEqual([EXIT.unreadable, ""]);
      expect(run.stderr).toContain(path);
    }
    const registry = await runCli([...base(), "--registry", missing]);
    expect([registry.code, registry.stderr]).toEqual([
      EXIT.unreadable,
      `xcs: cannot read ${missing}\n`,
    ]);
    const archive = await runCli([...base().slice(0, -1), join(dir, "no-archive")]);
    expect([archive.code, archive.stderr]).toEqual([
      EXIT.unreadable,
      `xcs: ${join(dir, "no-archive")}: not a folder\n`,
    ]);
  });

  it("exits 2 with the file and the field for bad metadata met while resolving", async () => {
    const broken = writeArchiveFromObjects(freshDir("bad-metadata"), "P1", [session]);
    const file = join(broken.sessionDirs.get(String(session.label)) ?? "", "session.json");
    writeFileSync(file, JSON.stringify({ scans: [{ id: "1", frames: "many" }] }));
    const args = [...base(), "--on", String(session.label)];
    args[args.indexOf(written.root)] = broken.root;
    const run = await runCli(args);
    expect([run.code, run.stdout]).toEqual([EXIT.unreadable, ""]);
    expect(run.stderr).toBe(
      `xcs: ${file} /scans/0/frames: must be a whole number >= 0, not string "many"\n`,
    );
  });

  it("documents itself", async () => {
    const run = await runCli(["resolve", "--help"]);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toMatch(/^Usage: xcs resolve --command FILE/);
    for (const option of ["--on", "--input", "--registry", "--explain", "--json", "--read-mode"])
      expect(run.stdout).toContain(option);
  });
});

describe.skipIf(!present)("xcs resolve: secrets and sensitive inputs", () => {
  const SECRET = "hunter2-very-secret";
  let written: WrittenArchive;
  let commandFile: string;
  const session = present ? fixture("commandLaunchTest__session.json") : {};

  beforeAll(() => {
    const dir = freshDir("secrets");
    written = writeArchiveFromObjects(join(dir, "archive"), "P1", [session]);
    commandFile = join(dir, "command.json");
    writeFileSync(
      commandFile,
      JSON.stringify({
        name: "with-secrets",
        image: "busybox:latest",
        "command-line": "login #TOKEN# #LABEL#",
        inputs: [
          { name: "token", "replacement-key": "#TOKEN#" },
          { name: "label", "replacement-key": "#LABEL#" },
        ],
        "environment-variables": { TOKEN_COPY: "#TOKEN#" },
        secrets: [
          {
            source: { type: "system-property", identifier: "api.token" },
            destination: { type: "environment-variable", identifier: "API_TOKEN" },
          },
        ],
        xnat: [
          {
            name: "w",
            "external-inputs": [
              { name: "session", type: "Session", required: true },
              {
                name: "password",
                type: "string",
                sensitive: true,
                "provides-value-for-command-input": "token",
              },
            ],
            "derived-inputs": [
              {
                name: "session-label",
                type: "string",
                "derived-from-wrapper-input": "session",
                "derived-from-xnat-object-property": "label",
                "provides-value-for-command-input": "label",
              },
            ],
          },
        ],
      }),
    );
  });

  const args = (...more: string[]) => [
    "resolve",
    "-c",
    commandFile,
    "-w",
    "w",
    "-a",
    written.root,
    "--on",
    String(session.label),
    "-i",
    `password=${SECRET}`,
    ...more,
  ];

  it("--json masks the secret and every use of a sensitive value", async () => {
    const run = await runCli(args("--json", "--explain"));
    expect([run.code, run.stderr]).toEqual([EXIT.ok, ""]);
    const { plan, explain } = JSON.parse(run.stdout) as { plan: Plan; explain: string[] };
    expect(plan.secrets).toEqual([
      {
        source: { type: "system-property", identifier: "api.token" },
        destination: { type: "environment-variable", identifier: "API_TOKEN" },
        value: "****",
      },
    ]);
    expect(run.stdout).not.toContain(SECRET);
    expect(plan["command-line"]).toBe(`login **** ${session.label}`);
    expect(plan["environment-variables"]).toEqual({ TOKEN_COPY: "****" });
    // Left out or masked (XCS's API leaves raw values out when an input is sensitive).
    expect([undefined, "****"]).toContain(plan["raw-input-values"].password);
    expect(byName(plan["external-wrapper-input-values"]).password).toBe("****");
    expect(byName(plan["command-input-values"])).toEqual({
      token: "****",
      label: String(session.label),
    });
    expect(explain).toContain("  token (command): **** <- provided by wrapper input password");
  });

  it("the text plan masks them too", async () => {
    const run = await runCli(args("--explain"));
    expect([run.code, run.stderr]).toEqual([EXIT.ok, ""]);
    expect(run.stdout).not.toContain(SECRET);
    expect(run.stdout).toContain(`command line: login **** ${session.label}\n`);
    expect(run.stdout).toContain(
      "environment:\n  TOKEN_COPY=****\n  API_TOKEN=**** (secret from system-property api.token)\n",
    );
  });
});
