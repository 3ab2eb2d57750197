// The values of a derived wrapper input (spec 3.5): children of the parent object picked by the
// runtime value and the matcher, the parent's own property, or the object above the parent.
import { isXnatType, type XnatObject, type XnatType } from "@xcs/archive";
import type { DerivedInput } from "@xcs/command-schema";
import { isBlank, readJsonStringList } from "@xcs/command-schema";
import { readJsonPath, readJsonPathAsString } from "../jsonpath/index.js";
import { type ResolutionContext, withValues } from "./context.js";
import { checkIllegalValue } from "./errors.js";
import { applyParser } from "./parser.js";
import type { InputNode } from "./tree.js";
import type { ResolvedValue, ValueOrigin } from "./types.js";

/** How children of one type are found below a parent type: the collection and the match keys. */
interface ChildRule {
  collection: string;
  keys: readonly string[];
}

const BY_URI_ID_LABEL_DIR = ["uri", "id", "label", "directory"] as const;

// Derived type → parent type → how to find it (the table of spec 3.5).
const CHILD_RULES: Partial<Record<string, Partial<Record<string, ChildRule>>>> = {
  ProjectAsset: { Project: { collection: "project-assets", keys: BY_URI_ID_LABEL_DIR } },
  Subject: { Project: { collection: "subjects", keys: BY_URI_ID_LABEL_DIR } },
  Session: { Subject: { collection: "sessions", keys: BY_URI_ID_LABEL_DIR } },
  SubjectAssessor: { Subject: { collection: "subject-assessors", keys: BY_URI_ID_LABEL_DIR } },
  Scan: { Session: { collection: "scans", keys: ["uri", "id", "directory"] } },
  Assessor: { Session: { collection: "assessors", keys: ["uri", "id", "label"] } },
  File: { Resource: { collection: "files", keys: ["uri"] } },
  "File[]": { Resource: { collection: "files", keys: ["uri"] } },
  Resource: Object.fromEntries(
    ["Project", "ProjectAsset", "Subject", "Session", "Scan", "Assessor", "SubjectAssessor"].map(
      (parent) => [parent, { collection: "resources", keys: ["uri", "id", "label"] }],
    ),
  ),
};

// Derived type → parent types whose own parent object it is (matcher and runtime value ignored).
const UP_RULES: Partial<Record<string, Partial<Record<string, (parent: XnatObject) => UpLink>>>> = {
  Project: Object.fromEntries(
    ["ProjectAsset", "Session", "Subject", "Scan", "Assessor", "SubjectAssessor"].map((type) => [
      type,
      (parent: XnatObject) => ({ id: field(parent, "project-id"), type: "Project" as const }),
    ]),
  ),
  Subject: {
    Session: (parent) => ({ id: field(parent, "subject-id"), type: "Subject" }),
    SubjectAssessor: (parent) => ({ id: field(parent, "subject-id"), type: "Subject" }),
  },
  Session: {
    Scan: (parent) => ({ id: field(parent, "session-id"), type: "Session" }),
    Assessor: (parent) => ({ id: field(parent, "session-id"), type: "Session" }),
  },
  Scan: { Resource: (parent) => ({ uri: field(parent, "parent-uri"), type: "Scan" }) },
};

interface UpLink {
  type: XnatType;
  id?: string | undefined;
  uri?: string | undefined;
}

function field(object: XnatObject, name: string): string | undefined {
  const value = (object as unknown as Record<string, unknown>)[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function derivedValues(
  node: InputNode & { kind: "derived" },
  parent: ResolvedValue,
  context: ResolutionContext,
): ResolvedValue[] {
  const input = node.input;
  const matcher = nonBlank(input.matcher) ? withValues(context, input.matcher as string) : null;
  const parser = nonBlank(input.parser) ? withValues(context, input.parser as string) : null;
  const parentObject = parent.object;
  if (parentObject === undefined) return [];

  if (input.type === "string" && isXnatType(parent.type)) {
    return propertyValue(
      input,
      parentObject,
      matcher,
      parser,
      `$.${input.derivedFromXnatObjectProperty}`,
    );
  }
  if (input.type === "Directory" && parent.type === "Resource") {
    return propertyValue(input, parentObject, matcher, parser, "$.directory");
  }
  const up = UP_RULES[input.type]?.[parent.type];
  if (up !== undefined) return parentOf(input, up(parentObject), node, context);
  const rule = CHILD_RULES[input.type]?.[parent.type];
  if (rule === undefined) return []; // XCS: "cannot be derived"
  const loaded = context.loader.withChildren(parentObject, context.plan.parentNeeds(node));
  const hint = context.inputs[input.name] ?? input.defaultValue;
  const { children, path } = matchChildren(loaded, rule, hint, input.multiple, matcher);
  const origin: ValueOrigin = {
    from: "derived",
    parent: input.derivedFromWrapperInput ?? "",
    how: "children",
    path,
    matched: children.map((child) => child.uri ?? child.label ?? ""),
  };
  const values: ResolvedValue[] = [];
  for (const child of children) {
    context.loader.inherit(loaded, child);
    let value: string | null = child.uri ?? null;
    const property = input.derivedFromXnatObjectProperty;
    if (property !== null) value = applyParser(readProperty(child, `$.${property}`), parser);
    checkIllegalValue(input.name, value);
    values.push({
      type: input.type,
      value,
      valueLabel: child.label ?? value,
      object: child,
      origin,
    });
  }
  return values;
}

function nonBlank(text: string | null): boolean {
  return text !== null && !isBlank(text);
}

/** A string property of the parent (with the matcher appended as XCS does), through the parser. */
function propertyValue(
  input: DerivedInput,
  parent: XnatObject,
  matcher: string | null,
  parser: string | null,
  path: string,
): ResolvedValue[] {
  const fullPath = matcher === null ? path : `${path}[?(${matcher})]`;
  const value = applyParser(readProperty(parent, fullPath), parser);
  if (value === null) return [];
  checkIllegalValue(input.name, value);
  const origin: ValueOrigin = {
    from: "derived",
    parent: input.derivedFromWrapperInput ?? "",
    how: "property",
    property: input.derivedFromXnatObjectProperty ?? "directory",
    path: fullPath,
  };
  return [{ type: input.type, value, valueLabel: value, origin }];
}

/** XCS catches every path error here: a missing or unreadable property is no value. */
function readProperty(object: XnatObject, path: string): string | null {
  try {
    return readJsonPathAsString(object, path);
  } catch {
    return null;
  }
}

/** The object above the parent (its project, subject, session or scan). */
function parentOf(
  input: DerivedInput,
  link: UpLink,
  node: InputNode,
  context: ResolutionContext,
): ResolvedValue[] {
  const needs = context.plan.objectNeeds(node);
  const object =
    link.uri !== undefined
      ? context.loader.byUri(link.uri, needs)
      : link.id !== undefined
        ? context.loader.byId(link.type, link.id, needs)
        : undefined;
  if (object === undefined || object.type !== link.type) return [];
  let value: string | null = object.uri ?? null;
  if (input.derivedFromXnatObjectProperty !== null) {
    value = readProperty(object, `$.${input.derivedFromXnatObjectProperty}`);
  }
  checkIllegalValue(input.name, value);
  const origin: ValueOrigin = {
    from: "derived",
    parent: input.derivedFromWrapperInput ?? "",
    how: "parent",
  };
  return [{ type: input.type, value, valueLabel: object.label ?? value, object, origin }];
}

/**
 * XCS's `matchChildFromParent`: the runtime value (if any) is tried as each match key in turn
 * and joined to the matcher with `&&`; the first key that matches anything wins. Path errors
 * count as no match.
 */
function matchChildren(
  parent: XnatObject,
  rule: ChildRule,
  hint: string | null,
  multiple: boolean,
  matcher: string | null,
): { children: XnatObject[]; path: string } {
  const keys = hint === null || isBlank(hint) ? [null] : rule.keys;
  let path = "";
  for (const key of keys) {
    const condition = [key === null ? null : valueCondition(key, hint as string, multiple), matcher]
      .filter((part): part is string => part !== null)
      .join(" && ");
    path = condition === "" ? `$.${rule.collection}[*]` : `$.${rule.collection}[?(${condition})]`;
    let found: unknown;
    try {
      found = readJsonPath(parent, path);
    } catch {
      found = [];
    }
    const children = (Array.isArray(found) ? found : []).filter(isObject);
    if (children.length > 0) return { children, path };
  }
  return { children: [], path };
}

function valueCondition(key: string, hint: string, multiple: boolean): string {
  const list = multiple ? readJsonStringList(hint) : undefined;
  // The value goes in unescaped, as in XCS: a quote in it breaks the path (no match).
  return list !== undefined && !list.includes(null)
    ? `@.${key} in ${hint}`
    : `@.${key} == '${hint}'`;
}

function isObject(value: unknown): value is XnatObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
