// Which container a module runs in. The original reads only Apptainer/Singularity labels
// (`/.singularity.d/labels.json`, keys `ci.*`) and refuses to run without them. Here the identity
// comes from, in order: an explicit option, that labels file, or environment variables a
// launcher sets; outside any container the record says so.
import { readFile } from "node:fs/promises";
import { errorMessage, ProvenanceError } from "./errors.js";
import type { ContainerIdentity } from "./record.js";

/** The labels the original requires, in its order. */
export const CONTAINER_LABELS = [
  "ci.image",
  "ci.tag",
  "ci.commit",
  "ci.builder",
  "ci.timestamp",
  "ci.digest",
] as const;

export type ContainerLabels = Partial<Record<(typeof CONTAINER_LABELS)[number], string>>;

/** Where Apptainer/Singularity images keep their labels. */
export const LABELS_FILE = "/.singularity.d/labels.json";

/**
 * Environment variables a launcher may set instead of a labels file (each maps to the
 * `ci.*` label of the same meaning).
 */
export const CONTAINER_ENV = {
  "ci.image": "RADIFOX_CONTAINER_IMAGE",
  "ci.tag": "RADIFOX_CONTAINER_TAG",
  "ci.commit": "RADIFOX_CONTAINER_COMMIT",
  "ci.builder": "RADIFOX_CONTAINER_BUILDER",
  "ci.timestamp": "RADIFOX_CONTAINER_TIMESTAMP",
  "ci.digest": "RADIFOX_CONTAINER_DIGEST",
} as const;

export interface ContainerOptions {
  /** Labels given by the caller (highest priority). */
  labels?: ContainerLabels;
  /** The labels file to read (default `/.singularity.d/labels.json`; `null`: do not read one). */
  labelsFile?: string | null;
  /** Environment to read launcher variables from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Refuse to run outside a container, as the original did. */
  require?: boolean;
}

/** `{image}:{tag}@{commit[:8]}` and the other `Container:` lines from `ci.*` labels. */
export function identityFromLabels(
  labels: ContainerLabels,
  source: ContainerIdentity["source"],
): ContainerIdentity {
  const image = labels["ci.image"];
  const url =
    image === undefined
      ? null
      : `${image}:${labels["ci.tag"] ?? "None"}@${(labels["ci.commit"] ?? "None").slice(0, 8)}`;
  return {
    url,
    hash: labels["ci.digest"] ?? null,
    builder: labels["ci.builder"] ?? null,
    timestamp: labels["ci.timestamp"] ?? null,
    source,
  };
}

const OUTSIDE: ContainerIdentity = {
  url: null,
  hash: null,
  builder: null,
  timestamp: null,
  source: "none",
};

function missingLabels(labels: ContainerLabels): string[] {
  return CONTAINER_LABELS.filter((label) => typeof labels[label] !== "string");
}

async function readLabelsFile(path: string): Promise<ContainerLabels | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ProvenanceError("E_PROV_CONTAINER", `cannot read ${path}: ${errorMessage(error)}`, {
      path,
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as ContainerLabels;
  } catch (error) {
    throw new ProvenanceError("E_PROV_CONTAINER", `${path} is not JSON: ${errorMessage(error)}`, {
      path,
      cause: error,
    });
  }
}

/**
 * Finds the container identity. With `require`, running outside a container or with labels
 * missing throws `E_PROV_CONTAINER` with the original's messages; without it, missing labels
 * are recorded as `None` and `problems` lists them.
 */
export async function detectContainer(
  options: ContainerOptions = {},
): Promise<{ identity: ContainerIdentity; problems: string[] }> {
  let labels: ContainerLabels | undefined;
  let source: ContainerIdentity["source"] = "none";
  if (options.labels) {
    labels = options.labels;
    source = "option";
  }
  const file = options.labelsFile === undefined ? LABELS_FILE : options.labelsFile;
  if (!labels && file !== null) {
    labels = await readLabelsFile(file);
    if (labels) source = "labels-file";
  }
  if (!labels) {
    const env = options.env ?? process.env;
    const fromEnv: ContainerLabels = {};
    for (const [label, name] of Object.entries(CONTAINER_ENV)) {
      const value = env[name];
      if (value !== undefined) fromEnv[label as keyof ContainerLabels] = value;
    }
    if (Object.keys(fromEnv).length > 0) {
      labels = fromEnv;
      source = "environment";
    }
  }
  if (!labels) {
    if (options.require) {
      throw new ProvenanceError(
        "E_PROV_CONTAINER",
        "Container labels not found. Running outside of container?",
      );
    }
    return { identity: OUTSIDE, problems: [] };
  }
  const missing = missingLabels(labels);
  if (missing.length > 0 && options.require) {
    throw new ProvenanceError("E_PROV_CONTAINER", "Container is missing required labels.");
  }
  const problems = missing.map((label) => `container label ${label} is missing (${source})`);
  return { identity: identityFromLabels(labels, source), problems };
}
