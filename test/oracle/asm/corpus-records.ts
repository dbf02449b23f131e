// The encoder corpus as records: each generated line with the SourceInstruction it stands
// for (placed at its address) and NASM's verdict (bytes or error). `recordWithNasm` makes
// them (needs nasm); `compareWithEncoder` checks sterna's encoder against them (no nasm).

import { encodeInstruction } from "../../../tools/asm/encode/index.ts";
import type { SourceInstruction } from "../../../tools/asm/instruction.ts";
import { type CorpusLine, placeAt } from "./corpus-generator.ts";
import { assembleWithNasm, corpusOrigin } from "./nasm-oracle.ts";

export interface CorpusRecord {
  readonly text: string;
  readonly instruction: SourceInstruction;
  /** NASM's bytes in hex, when it accepted the line. */
  readonly bytes?: string;
  /** NASM's error, when it refused the line. */
  readonly error?: string;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

export function recordWithNasm(corpus: readonly CorpusLine[], bits: 16 | 32 = 32): CorpusRecord[] {
  const results = assembleWithNasm(
    corpus.map((line) => line.text),
    bits,
  );
  return corpus.map((line, i) => {
    const result = results[i]!;
    return result.ok
      ? {
          text: line.text,
          instruction: placeAt(line.template, result.address),
          bytes: toHex(result.bytes),
        }
      : { text: line.text, instruction: placeAt(line.template, corpusOrigin), error: result.error };
  });
}

/**
 * NASM messages sterna must reproduce word for word. For the operand-matching family
 * ("invalid combination", "mismatch in operand sizes", "operation size not specified",
 * invalid addresses) NASM's choice depends on its template order; any refusal agrees.
 */
const exactMessages: ReadonlySet<string> = new Set([
  "short jump is out of range",
  "instruction has conflicting prefixes",
  "instruction has conflicting segment overrides",
  "impossible combination of address sizes",
  "repne prefix is not allowed",
]);

export interface EncoderMismatch {
  readonly text: string;
  readonly expected: string;
  readonly actual: string;
}

export function compareWithEncoder(records: readonly CorpusRecord[]): EncoderMismatch[] {
  const mismatches: EncoderMismatch[] = [];
  for (const record of records) {
    const result = encodeInstruction(record.instruction);
    const actual = result.ok ? toHex(result.bytes) : `error: ${result.message}`;
    const expected = record.bytes ?? `error: ${record.error}`;
    const agrees =
      record.bytes !== undefined
        ? actual === expected
        : !result.ok && (!exactMessages.has(record.error!) || result.message === record.error);
    if (!agrees) mismatches.push({ text: record.text, expected, actual });
  }
  return mismatches;
}
