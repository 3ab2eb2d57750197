// Resolution against an archive (an XnatObjectSource): which objects are loaded, how (by URI or
// by id) and with which child types (spec 3.4, 3.5 and 4 "Loading depth"). The source here is a
// small in-memory archive that records every call; the real archives are tested in
// @xcs/archive.
import type { LoadOptions, XnatObject, XnatObjectSource, XnatType } from "@xcs/archive";
import { type Command, readCommand } from "@xcs/command-schema";
import { describe, expect, it } from "vitest";
import { ResolutionError, type ResolvedCommand, resolveCommand } from "../src/index.js";

interface Call {
  method: "byUri" | "byId";
  /** The URI, or `Type:id`. */
  target: string;
  /** The child types asked for, sorted; "all" when no include set was given. */
  include: string[] | "all";
}

/** Collection name → the child type it holds. */
const COLLECTIONS: Record<string, XnatType> = {
  subjects: "Subject",
  sessions: "Session",
  scans: "Scan",
  assessors: "Assessor",
  "subject-assessors": "SubjectAssessor",
  "project-assets": "ProjectAsset",
  resources: "Resource",
  files: "File",
};

type Json = Record<string, unknown>;

/** An archive held in memory: objects are found by URI or by type and id, cut to `include`. */
class MemoryArchive implements XnatObjectSource {
  readonly calls: Call[] = [];
  readonly #roots: Json[];

  constructor(roots: Json[]) {
    this.#roots = roots;
  }

  byUri(uri: string, options?: LoadOptions): XnatObject | undefined {
    this.#record("byUri", uri, options);
    const wanted = uri.startsWith("/archive/") ? uri : `/archive${uri}`;
    const found = this.#all().find((object) => object.uri === wanted);
    return found === undefined ? undefined : this.#cut(found, options?.include);
  }

  byId(type: XnatType, id: string, options?: LoadOptions): XnatObject | undefined {
    this.#record("byId", `${type}:${id}`, options);
    if (type === "Scan") return undefined;
    const found = this.#all().find((object) => object.type === type && object.id === id);
    return found === undefined ? undefined : this.#cut(found, options?.include);
  }

  #record(method: Call["method"], target: string, options: LoadOptions | undefined) {
    const include = options?.include === undefined ? "all" : [...options.include].sort();
    this.calls.push({ method, target, include });
  }

  #all(): Json[] {
    const out: Json[] = [];
    const visit = (object: Json) => {
      out.push(object);
      for (const key of Object.keys(COLLECTIONS)) {
        for (const child of (object[key] as Json[] | undefined) ?? []) visit(child);
      }
    };
    this.#roots.forEach(visit);
    return out;
  }

  /** A fresh copy with only the included child types (others as empty lists). */
  #cut(object: Json, include: ReadonlySet<XnatType> | undefined): XnatObject {
    const copy: Json = { ...object };
    for (const [key, type] of Object.entries(COLLECTIONS)) {
      const children = object[key] as Json[] | undefined;
      if (children === undefined) continue;
      copy[key] =
        include === undefined || include.has(type)
          ? children.map((child) => this.#cut(child, include))
          : [];
    }
    return copy as unknown as XnatObject;
  }
}

function resource(parent: string, label: string): Json {
  return {
    type: "Resource",
    id: label,
    label,
    "integer-id": label.length,
    uri: `${parent}/resources/${label}`,
    "parent-uri": parent,
    directory: `/data${parent}/${label}`,
    files: [],
  };
}

function scan(session: string, id: string, scanType: string): Json {
  const uri = `/archive/experiments/${session}/scans/${id}`;
  return {
    type: "Scan",
    id,
    label: `${id} - ${scanType}`,
    "scan-type": scanType,
    "project-id": "P1",
    "session-id": session,
    uri,
    directory: `/data/${session}/SCANS/${id}`,
    resources: [resource(uri, "DICOM"), resource(uri, "NIFTI")],
  };
}

function session(id: string, subject: string, scans: Json[]): Json {
  const uri = `/archive/experiments/${id}`;
  return {
    type: "Session",
    id,
    label: `${id.toLowerCase()}-label`,
    "project-id": "P1",
    "subject-id": subject,
    uri,
    directory: `/data/${id}`,
    scans,
    assessors: [],
    resources: [resource(uri, "NOTES")],
  };
}

function subject(id: string, label: string, sessions: Json[]): Json {
  return {
    type: "Subject",
    id,
    label,
    "project-id": "P1",
    uri: `/archive/projects/P1/subjects/${id}`,
    sessions,
    resources: [],
    "subject-assessors": [],
  };
}

function archive(): MemoryArchive {
  return new MemoryArchive([
    {
      type: "Project",
      id: "P1",
      label: "P1",
      uri: "/archive/projects/P1",
      directory: "/data/P1",
      subjects: [
        subject("S1", "subj-a", [
          session("E1", "S1", [scan("E1", "1", "T1"), scan("E1", "2", "T2")]),
        ]),
        subject("S2", "subj-b", [session("E2", "S2", [scan("E2", "1", "FLAIR")])]),
      ],
      resources: [],
      "project-assets": [],
    },
  ]);
}

function commandWith(wrapper: {
  external: Json[];
  derived?: Json[];
  commandLine?: string;
  inputs?: Json[];
}): Command {
  const json = {
    name: "archive-test",
    type: "docker",
    image: "busybox:1",
    "command-line": wrapper.commandLine ?? "echo",
    inputs: wrapper.inputs ?? [],
    xnat: [
      {
        name: "w",
        "external-inputs": wrapper.external,
        "derived-inputs": wrapper.derived ?? [],
        "output-handlers": [],
      },
    ],
  };
  return readCommand(JSON.stringify(json), { mode: "model" }).command;
}

function resolveWith(
  command: Command,
  source: XnatObjectSource | undefined,
  inputs: Record<string, string>,
): ResolvedCommand {
  return resolveCommand(command, {
    wrapper: "w",
    inputs,
    settings: { buildPath: "/nonexistent/build" },
    materialize: false,
    ...(source === undefined ? {} : { source }),
  });
}

const valuesOf = (resolved: ResolvedCommand) =>
  Object.fromEntries(
    [...resolved.externalWrapperInputValues, ...resolved.derivedInputValues].map(
      ({ name, value }) => [name, value],
    ),
  );

function failure(run: () => unknown): ResolutionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ResolutionError);
    return error as ResolutionError;
  }
  throw new Error("expected resolution to fail");
}

const sessionScanResource = commandWith({
  external: [{ name: "session", type: "Session" }],
  derived: [
    {
      name: "scan",
      type: "Scan",
      "derived-from-wrapper-input": "session",
      matcher: "@.scan-type == 'T1'",
    },
    {
      name: "dicom",
      type: "Resource",
      "derived-from-wrapper-input": "scan",
      matcher: "@.label == 'DICOM'",
    },
  ],
});

describe("loading a session for a wrapper that derives Scan → Resource", () => {
  it("loads the session once by URI with scans and resources", () => {
    const source = archive();
    const resolved = resolveWith(sessionScanResource, source, {
      session: "/archive/experiments/E1",
    });
    expect(source.calls).toEqual([
      { method: "byUri", target: "/archive/experiments/E1", include: ["Resource", "Scan"] },
    ]);
    expect(valuesOf(resolved)).toEqual({
      session: "/archive/experiments/E1",
      scan: "/archive/experiments/E1/scans/1",
      dicom: "/archive/experiments/E1/scans/1/resources/DICOM",
    });
  });

  it("accepts the URI without the /archive prefix (the source decides)", () => {
    const source = archive();
    const resolved = resolveWith(sessionScanResource, source, { session: "/experiments/E1" });
    expect(source.calls.map(({ method, target }) => [method, target])).toEqual([
      ["byUri", "/experiments/E1"],
    ]);
    expect(valuesOf(resolved).session).toBe("/archive/experiments/E1");
  });

  it("loads a plain id with byId, with the same child types", () => {
    const source = archive();
    const resolved = resolveWith(sessionScanResource, source, { session: "E1" });
    expect(source.calls).toEqual([
      { method: "byId", target: "Session:E1", include: ["Resource", "Scan"] },
    ]);
    expect(valuesOf(resolved).dicom).toBe("/archive/experiments/E1/scans/1/resources/DICOM");
  });

  it("loads the children an external input's own matcher reads", () => {
    const command = commandWith({
      external: [{ name: "session", type: "Session", matcher: "'T1' in @.scans[*].scan-type" }],
      derived: [],
    });
    const source = archive();
    const resolved = resolveWith(command, source, { session: "/archive/experiments/E1" });
    expect(source.calls).toEqual([
      { method: "byUri", target: "/archive/experiments/E1", include: ["Scan"] },
    ]);
    expect(valuesOf(resolved).session).toBe("/archive/experiments/E1");
  });

  it("asks the source nothing for an object given as JSON", () => {
    const source = archive();
    const json = JSON.stringify(session("E9", "S1", [scan("E9", "7", "T1")]));
    const resolved = resolveWith(sessionScanResource, source, { session: json });
    expect(source.calls).toEqual([]);
    expect(valuesOf(resolved).scan).toBe("/archive/experiments/E9/scans/7");
  });
});

describe("loading a project only as deep as the matchers need", () => {
  const projectSubjectSession = (loadChildren?: boolean) =>
    commandWith({
      external: [
        {
          name: "project",
          type: "Project",
          ...(loadChildren === undefined ? {} : { "load-children": loadChildren }),
        },
      ],
      derived: [
        {
          name: "subject",
          type: "Subject",
          "derived-from-wrapper-input": "project",
          matcher: "@.label == 'subj-a'",
        },
        {
          name: "session",
          type: "Session",
          "derived-from-wrapper-input": "subject",
          matcher: "'T1' in @.scans[*].scan-type",
        },
      ],
    });

  it("loads the project with subjects only, then only the matched subject with sessions and scans", () => {
    const source = archive();
    const resolved = resolveWith(projectSubjectSession(), source, {
      project: "/archive/projects/P1",
    });
    expect(source.calls).toEqual([
      { method: "byUri", target: "/archive/projects/P1", include: ["Subject"] },
      {
        method: "byUri",
        target: "/archive/projects/P1/subjects/S1",
        include: ["Scan", "Session", "Subject"],
      },
    ]);
    expect(valuesOf(resolved)).toEqual({
      project: "/archive/projects/P1",
      subject: "/archive/projects/P1/subjects/S1",
      session: "/archive/experiments/E1",
    });
  });

  it("never loads a load-children: false project deeper, so its subjects are not found", () => {
    const source = archive();
    const run = () =>
      resolveWith(projectSubjectSession(false), source, { project: "/archive/projects/P1" });
    expect(run).toThrow(/Input "subject" could not be resolved/);
    expect(source.calls).toEqual([
      { method: "byUri", target: "/archive/projects/P1", include: [] },
    ]);
  });

  it("loads the matched session deeper when a scan's resource is derived below it", () => {
    const command = commandWith({
      external: [{ name: "subject", type: "Subject" }],
      derived: [
        {
          name: "session",
          type: "Session",
          "derived-from-wrapper-input": "subject",
          matcher: "'T1' in @.scans[*].scan-type",
        },
        {
          name: "scan",
          type: "Scan",
          "derived-from-wrapper-input": "session",
          matcher: "@.scan-type == 'T1'",
        },
        {
          name: "nifti",
          type: "Resource",
          "derived-from-wrapper-input": "scan",
          matcher: "@.label == 'NIFTI'",
        },
      ],
    });
    const source = archive();
    const resolved = resolveWith(command, source, { subject: "S1" });
    expect(source.calls).toEqual([
      { method: "byId", target: "Subject:S1", include: ["Scan", "Session"] },
      {
        method: "byUri",
        target: "/archive/experiments/E1",
        include: ["Resource", "Scan", "Session"],
      },
    ]);
    expect(valuesOf(resolved).nifti).toBe("/archive/experiments/E1/scans/1/resources/NIFTI");
  });

  it("loads a project with load-children: false without any child type", () => {
    const command = commandWith({
      external: [{ name: "project", type: "Project", "load-children": false }],
      derived: [
        {
          name: "project-label",
          type: "string",
          "derived-from-wrapper-input": "project",
          "derived-from-xnat-object-property": "label",
        },
      ],
    });
    const source = archive();
    const resolved = resolveWith(command, source, { project: "/archive/projects/P1" });
    expect(source.calls).toEqual([
      { method: "byUri", target: "/archive/projects/P1", include: [] },
    ]);
    expect(valuesOf(resolved)["project-label"]).toBe("P1");
  });

  it("load-children: false applies to projects only (a session still gets its scans)", () => {
    const command = commandWith({
      external: [{ name: "session", type: "Session", "load-children": false }],
      derived: [{ name: "scan", type: "Scan", "derived-from-wrapper-input": "session" }],
    });
    const source = archive();
    resolveWith(command, source, { session: "/archive/experiments/E2" });
    expect(source.calls).toEqual([
      { method: "byUri", target: "/archive/experiments/E2", include: ["Scan"] },
    ]);
  });
});

describe("values the source does not know", () => {
  it("fails on an unknown URI with XCS's CommandInputResolutionException", () => {
    const source = archive();
    const error = failure(() =>
      resolveWith(sessionScanResource, source, { session: "/archive/experiments/NOPE" }),
    );
    expect(error.javaName).toBe("CommandInputResolutionException");
    expect(error.message).toBe("Invalid Session uri /archive/experiments/NOPE");
    expect(error.input).toBe("session");
  });

  it("fails when the URI names an object of another type", () => {
    const error = failure(() =>
      resolveWith(sessionScanResource, archive(), { session: "/archive/projects/P1" }),
    );
    expect(error.message).toBe("Invalid Session uri /archive/projects/P1");
  });

  it("fails on a URI when no source is given", () => {
    const error = failure(() =>
      resolveWith(sessionScanResource, undefined, { session: "/archive/experiments/E1" }),
    );
    expect(error.javaName).toBe("CommandInputResolutionException");
  });

  it("never looks a Scan up by id (XCS cannot); the value becomes null", () => {
    const command = commandWith({
      external: [{ name: "scan", type: "Scan", required: false }],
      commandLine: "echo #ID#",
      inputs: [{ name: "ID", type: "string" }],
    });
    const source = archive();
    const resolved = resolveWith(command, source, { scan: "1" });
    expect(source.calls).toEqual([]);
    expect(valuesOf(resolved).scan).toBe("null");
    expect(resolved.inputTree[0]?.values[0]?.value.object).toBeUndefined();
  });

  it("reports a required Scan given by id as missing", () => {
    const command = commandWith({ external: [{ name: "scan", type: "Scan" }] });
    const source = archive();
    const error = failure(() => resolveWith(command, source, { scan: "1" }));
    expect(error.message).toBe("Missing values for required input: scan.");
    expect(source.calls).toEqual([]);
  });

  it("gives null for an unknown id (no error, as XCS)", () => {
    const command = commandWith({
      external: [{ name: "session", type: "Session", required: false }],
    });
    const source = archive();
    const resolved = resolveWith(command, source, { session: "E404" });
    expect(source.calls.map(({ target }) => target)).toEqual(["Session:E404"]);
    expect(valuesOf(resolved).session).toBe("null");
  });
});

describe("objects above the parent", () => {
  const upwards = commandWith({
    external: [{ name: "resource", type: "Resource" }],
    derived: [
      { name: "scan", type: "Scan", "derived-from-wrapper-input": "resource" },
      { name: "session", type: "Session", "derived-from-wrapper-input": "scan" },
      { name: "project", type: "Project", "derived-from-wrapper-input": "session" },
      {
        name: "session-label",
        type: "string",
        "derived-from-wrapper-input": "session",
        "derived-from-xnat-object-property": "label",
      },
    ],
  });

  it("finds the scan by the resource's parent-uri, the session by session-id, the project by project-id", () => {
    const source = archive();
    const resolved = resolveWith(upwards, source, {
      resource: "/archive/experiments/E2/scans/1/resources/DICOM",
    });
    expect(source.calls.map(({ method, target }) => [method, target])).toEqual([
      ["byUri", "/archive/experiments/E2/scans/1/resources/DICOM"],
      ["byUri", "/archive/experiments/E2/scans/1"],
      ["byId", "Session:E2"],
      ["byId", "Project:P1"],
    ]);
    expect(valuesOf(resolved)).toEqual({
      resource: "/archive/experiments/E2/scans/1/resources/DICOM",
      scan: "/archive/experiments/E2/scans/1",
      session: "/archive/experiments/E2",
      project: "/archive/projects/P1",
      "session-label": "e2-label",
    });
  });

  it("ignores the matcher and the runtime value when going up (as XCS)", () => {
    const command = commandWith({
      external: [{ name: "session", type: "Session" }],
      derived: [
        {
          name: "project",
          type: "Project",
          "derived-from-wrapper-input": "session",
          matcher: "@.label == 'no such project'",
        },
      ],
    });
    const source = archive();
    const resolved = resolveWith(command, source, {
      session: "E1",
      project: "SOMETHING_ELSE",
    });
    expect(valuesOf(resolved).project).toBe("/archive/projects/P1");
    expect(source.calls.map(({ target }) => target)).toEqual(["Session:E1", "Project:P1"]);
  });
});
