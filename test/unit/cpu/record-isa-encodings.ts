// Records nasm's encoding of one source line per isa.ts row (isa-operand-text.ts), so the
// tests can check that the table decodes what nasm emits. Run at development time:
//   npx tsx test/unit/cpu/record-isa-encodings.ts
// Writes test/unit/cpu/fixtures/isa-encodings.json. Needs nasm.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isaRows } from "../../../vm/cpu/isa.ts";
import { sourceForRow } from "./isa-operand-text.ts";

const dir = mkdtempSync(join(tmpdir(), "sterna-isa-"));
const records: { mnemonic: string; operands: string; source: string; bytes: string }[] = [];
try {
  for (const row of isaRows) {
    const source = sourceForRow(row);
    writeFileSync(join(dir, "row.asm"), `bits 32\norg 0x1000\n${source}\n`);
    execFileSync("nasm", ["-f", "bin", "-o", join(dir, "row.bin"), join(dir, "row.asm")]);
    records.push({
      mnemonic: row.mnemonic,
      operands: row.operands.join(","),
      source,
      bytes: readFileSync(join(dir, "row.bin")).toString("hex"),
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const out = join(import.meta.dirname, "fixtures", "isa-encodings.json");
writeFileSync(out, `${JSON.stringify(records, null, 1)}\n`);
console.log(`${records.length} rows recorded in ${out}`);
