// Runs a guest image the way `sterna exec` does (runExecutable, a LoadError being the
// documented refusal) with an instruction limit, and judges the outcome: a status outside
// 0..255 or any other exception is a finding.

import { LoadError } from "../../../kernel/loader/load-error.ts";
import { runExecutable } from "../../../kernel/run-executable.ts";
import { describeThrown, finding, ok, type RunVerdict } from "../target.ts";

export const guestInstructionsMax = 200_000;

export function runGuestImage(image: Uint8Array, stdin: Uint8Array, argv: string[]): RunVerdict {
  try {
    const result = runExecutable(image, {
      argv,
      stdin,
      maxInstructions: guestInstructionsMax,
      onStdout: () => undefined,
      onStderr: () => undefined,
    });
    if (!Number.isInteger(result.status) || result.status < 0 || result.status > 255) {
      return finding(`exit status ${result.status} is outside 0..255`);
    }
    return ok;
  } catch (error) {
    if (error instanceof LoadError) return ok;
    return finding(describeThrown(error));
  }
}
