// The whole encoder corpus as one source through sterna's assembler (tools/asm/assemble.ts,
// the front end's passes with this encoder): the flat binary must equal NASM's output for
// the same file (fixtures/encoder-corpus.asm -> encoder-corpus.bin, see record.ts).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { assemble } from "../../../tools/asm/assemble.ts";
import { disassemble } from "../../../tools/disasm/index.ts";

const fixtures = join(import.meta.dirname, "fixtures");

it("assembles the corpus source to NASM's binary", () => {
  const source = readFileSync(join(fixtures, "encoder-corpus.asm"), "utf8");
  const expected = readFileSync(join(fixtures, "encoder-corpus.bin"));
  const result = assemble(source, { fileName: "encoder-corpus.asm", format: "bin" });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const output = Buffer.from(result.output ?? new Uint8Array());
  if (!output.equals(expected)) {
    let at = 0;
    while (at < output.length && output[at] === expected[at]) at++;
    const [line] = disassemble(expected.subarray(at), { org: 0x1000 + at });
    expect.fail(`first difference at 0x${(0x1000 + at).toString(16)}, NASM has: ${line?.text}`);
  }
});
