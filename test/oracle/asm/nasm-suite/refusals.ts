// Rewrites refusals.json, the in-scope files of NASM's test suite that sterna still refuses
// (each with its first error, which names the first missing feature), and prints the totals:
//   npx tsx test/oracle/asm/nasm-suite/refusals.ts
// The test (nasm-suite.test.ts) fails when this list is stale in either direction.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readManifest, runSuiteFile } from "./suite-files.ts";

const manifest = readManifest();
const refusals: Record<string, string> = {};
const different: string[] = [];
let identical = 0;
let variantsIdentical = 0;
let variantsRefused = 0;
for (const [name, levels] of Object.entries(manifest.optimizationVariants)) {
  for (const level of levels) {
    const verdict = runSuiteFile(name, level);
    if (verdict.kind === "different") different.push(`${name} at -O${level}`);
    else if (verdict.kind === "identical") variantsIdentical++;
    else variantsRefused++;
  }
}
for (const name of manifest.inScope) {
  const verdict = runSuiteFile(name);
  if (verdict.kind === "identical") identical++;
  else if (verdict.kind === "refused") refusals[name] = verdict.firstError;
  else different.push(`${name} (first difference at offset ${verdict.firstDifferenceOffset})`);
}
writeFileSync(join(import.meta.dirname, "refusals.json"), `${JSON.stringify(refusals, null, 2)}\n`);
const reasons = new Map<string, number>();
for (const name of Object.values(manifest.outOfScope))
  reasons.set(name, (reasons.get(name) ?? 0) + 1);
console.log(`${manifest.assembledByNasm} files assembled by ${manifest.nasm}`);
console.log(
  `in scope ${manifest.inScope.length}: identical ${identical}, refused ${Object.keys(refusals).length}, different ${different.length}`,
);
console.log(`-O0/-O1 recordings: identical ${variantsIdentical}, refused ${variantsRefused}`);
for (const line of different) console.log(`  DIFFERENT ${line}`);
for (const [reason, count] of reasons) console.log(`out of scope ${count}: ${reason}`);
