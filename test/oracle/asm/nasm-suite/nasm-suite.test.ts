// NASM's own test suite (upstream test/, recorded by record.ts with nasm's bytes): every
// in-scope file comes out of sterna's assembler byte-identical to nasm's output, or is one
// of the refusals listed in refusals.json with a located error. Never different bytes
// without an error. The list must be current: a listed file that now assembles, or a new
// refusal, fails (rerun refusals.ts).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readManifest, runSuiteFile } from "./suite-files.ts";

const manifest = readManifest();
const refusals = JSON.parse(
  readFileSync(join(import.meta.dirname, "refusals.json"), "utf8"),
) as Record<string, string>;

describe(`NASM's test suite (${manifest.inScope.length} in-scope files)`, () => {
  it("lists refusals only for in-scope files", () => {
    expect(Object.keys(refusals).filter((name) => !manifest.inScope.includes(name))).toEqual([]);
  });

  const variants = Object.entries(manifest.optimizationVariants).flatMap(([name, levels]) =>
    levels.map((level) => [name, level] as const),
  );
  it.each(variants)("%s at -O%s", (name, level) => {
    const verdict = runSuiteFile(name, level);
    if (verdict.kind === "different") {
      expect.fail(
        `different bytes without an error, first at offset ${verdict.firstDifferenceOffset}`,
      );
    }
    // A file sterna refuses at -Ox may be refused at other levels too, with a located error.
    if (verdict.kind === "refused") {
      expect(refusals[name], verdict.firstError).toBeDefined();
      expect(verdict.located).toBe(true);
    }
  });

  // br3092924.asm expands 131,072 macro calls: seconds alone, over a minute on a busy host.
  it.each(manifest.inScope)("%s", { timeout: 300_000 }, (name) => {
    const verdict = runSuiteFile(name);
    const listed = refusals[name];
    if (verdict.kind === "different") {
      expect.fail(
        `different bytes without an error, first at offset ${verdict.firstDifferenceOffset}`,
      );
    }
    if (verdict.kind === "refused") {
      expect(verdict.located).toBe(true);
      expect(verdict.firstError).toBe(listed);
    } else {
      expect(listed, "assembles now: remove it from refusals.json").toBeUndefined();
    }
  });
});
