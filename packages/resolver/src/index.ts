export {
  commandLineFragment,
  type FormattedInput,
  formatMultipleValues,
  formatSingleValue,
  type MultipleValueText,
  multipleFragment,
  resolvedInputValue,
  type SingleValueText,
} from "./command-line.js";
export { type ContainerCommand, containerCommand, shellSplit } from "./shell-split.js";
