// Shared helpers of the tests: the XCS conformance folder, with the workspace's rule for missing
// vectors (skip with a printed reason locally, fail in CI) from @workspace/test-support.
import { conformance } from "@workspace/test-support";

const xcs = conformance("xcs");

/** `XCS_CONFORMANCE_DIR` when set, else the developer set beside the repository. */
export const CONFORMANCE = xcs.dir;

/** The parsed vectors file, or `undefined` (with a printed reason) when it is missing. */
export const loadVectors = xcs.load;
