// What the steps of one resolution share.
import type { LoadPlan } from "./load-plan.js";
import type { ObjectLoader } from "./objects.js";
import type { Quirks } from "./quirks.js";
import type { CommandLineValue } from "./safe-argv.js";
import { type JsonPathTargets, resolveTemplate, type ValueMap } from "./templates.js";

export interface ResolutionContext {
  /** Runtime values by input name. */
  inputs: Record<string, string | null>;
  quirks: Quirks;
  targets: JsonPathTargets;
  /** Every input's key → raw value (templates other than the command line). */
  valueMap: ValueMap;
  /** Command inputs' keys → command-line text. */
  commandLineMap: ValueMap;
  /** Command inputs' keys → the values behind that text (for the safe argv). */
  lineValues: Map<string, CommandLineValue>;
  loader: ObjectLoader;
  /** Which child types objects are loaded with. */
  plan: LoadPlan;
}

/** A template resolved against the value map as it is now. */
export function withValues(context: ResolutionContext, template: string): string {
  return resolveTemplate(template, context.valueMap, context.targets, context.quirks);
}
