// The value of an external wrapper input (spec 3.4): the user's value or the default, turned
// into an XNAT object for object types, and checked against the input's matcher.
import type { XnatObject, XnatType } from "@xcs/archive";
import type { ExternalInput } from "@xcs/command-schema";
import { isBlank } from "@xcs/command-schema";
import { readJsonPath } from "../jsonpath/index.js";
import { type ResolutionContext, withValues } from "./context.js";
import { checkIllegalValue, ResolutionError } from "./errors.js";
import { OBJECT_INPUT_TYPES, objectFromJson } from "./objects.js";
import { substituteJsonPath } from "./templates.js";
import type { InputNode } from "./tree.js";
import type { ResolvedValue, ValueOrigin } from "./types.js";

export function externalValue(
  node: InputNode & { kind: "external" },
  context: ResolutionContext,
): ResolvedValue {
  const input = node.input;
  const given = context.inputs[input.name];
  let value = input.defaultValue;
  let origin: ValueOrigin = { from: value === null ? "none" : "default" };
  if (given !== undefined && given !== null) {
    value = given;
    origin = { from: "user" };
  }
  if (value !== null) value = substituteJsonPath(value, context.targets);
  const matcher = input.matcher === null ? null : withValues(context, input.matcher);

  let object: XnatObject | undefined;
  if (value !== null && !isBlank(value) && OBJECT_INPUT_TYPES.has(input.type)) {
    object = objectFor(input, value, context.plan.objectNeeds(node), context);
    // XCS does not catch a bad matcher here: the launch fails.
    if (object !== undefined && matcher !== null && !isBlank(matcher)) {
      const kept = readJsonPath(object, `$[?(${matcher})]`) as unknown[];
      if (kept.length === 0) object = undefined;
    }
    value = object === undefined ? null : (object.uri ?? value);
  }
  checkIllegalValue(input.name, value);
  return { type: input.type, value, valueLabel: object?.label ?? value, object, origin };
}

/** The object a value names: a URI, the object's JSON, or an id (spec 3.4 step 4). */
function objectFor(
  input: ExternalInput,
  value: string,
  needs: ReadonlySet<XnatType>,
  context: ResolutionContext,
): XnatObject | undefined {
  const type = input.type as XnatType;
  // `load-children: false` only matters for projects, as in XCS.
  const sealed = type === "Project" && !input.loadChildren;
  const include = sealed ? new Set<XnatType>() : needs;
  if (value.startsWith("{")) return objectFromJson(value, type);
  if (value.startsWith("/")) {
    const object = context.loader.byUri(value, include, sealed);
    if (object === undefined || object.type !== type) {
      throw new ResolutionError(`Invalid ${type} uri ${value}`, {
        javaName: "CommandInputResolutionException",
        input: input.name,
      });
    }
    return object;
  }
  if (type === "Scan") return undefined;
  return context.loader.byId(type, value, include, sealed);
}
