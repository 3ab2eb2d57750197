// Which child types an object must be loaded with (spec 4 "Loading depth"). XCS derives this
// from input types and a name heuristic that misses; here it follows the input tree and the
// collections that matchers read, and stops at the wide levels (a project's subjects, a
// subject's sessions) so that only the objects a matcher picks are loaded deeper.
import { isXnatType, type XnatType } from "@xcs/archive";
import { typesReadBy } from "./objects.js";
import type { InputNode } from "./tree.js";

const WIDE: ReadonlySet<string> = new Set([
  "Subject",
  "Session",
  "SubjectAssessor",
  "ProjectAsset",
]);
const FILE_TYPES: Record<string, XnatType> = { "File[]": "File", Directory: "Resource" };

export interface LoadPlan {
  /** The children an object bound to `node` is loaded with. */
  objectNeeds(node: InputNode): ReadonlySet<XnatType>;
  /** What deriving `node` needs loaded below its parent's object. */
  parentNeeds(node: InputNode): ReadonlySet<XnatType>;
}

export function loadPlan(): LoadPlan {
  const objectPlans = new Map<InputNode, ReadonlySet<XnatType>>();
  const parentPlans = new Map<InputNode, ReadonlySet<XnatType>>();
  const parentNeeds = (node: InputNode): ReadonlySet<XnatType> => {
    const known = parentPlans.get(node);
    if (known !== undefined) return known;
    const types = new Set<XnatType>();
    if (node.kind === "derived") {
      const own = isXnatType(node.input.type) ? node.input.type : FILE_TYPES[node.input.type];
      if (own !== undefined) types.add(own);
      for (const read of typesReadBy(node.input.matcher)) types.add(read);
      for (const read of typesReadBy(node.input.derivedFromXnatObjectProperty)) types.add(read);
      if (!WIDE.has(node.input.type)) for (const deeper of objectNeeds(node)) types.add(deeper);
    }
    parentPlans.set(node, types);
    return types;
  };
  const objectNeeds = (node: InputNode): ReadonlySet<XnatType> => {
    const known = objectPlans.get(node);
    if (known !== undefined) return known;
    const types = new Set<XnatType>();
    // An external input's own matcher filters the whole object, children included.
    if (node.kind === "external")
      for (const read of typesReadBy(node.input.matcher)) types.add(read);
    for (const child of node.children) for (const type of parentNeeds(child)) types.add(type);
    objectPlans.set(node, types);
    return types;
  };
  return { objectNeeds, parentNeeds };
}
