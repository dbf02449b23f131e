// Every trace event the kernel and the machine can write is a row of docs/trace.md's table, so
// a reader of a trace can look each kind up (issue 8: every event kind is listed there).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..");

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => join(root, folder, path));
}

describe("docs/trace.md", () => {
  it("has a row for every event kind traced in kernel/ and vm/", () => {
    const kinds = new Set<string>();
    for (const file of [...sourceFiles("kernel"), ...sourceFiles("vm")]) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:traceEvent|trace\?\.)\(\s*"([a-z-]+)"/g)) {
        kinds.add(match[1]!);
      }
    }
    // The scan finds the kinds (a change of call spelling would otherwise pass vacuously).
    expect(kinds.size).toBeGreaterThan(30);
    expect(kinds).toContain("frame-out");
    const table = readFileSync(join(root, "docs", "trace.md"), "utf8");
    const missing = [...kinds].filter(
      (kind) => !table.includes(`| \`${kind}\``) && !table.includes(`, \`${kind}\``),
    );
    expect(missing).toEqual([]);
  });
});
