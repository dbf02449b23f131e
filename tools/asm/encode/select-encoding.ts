// Chooses NASM's encoding among the forms that accept the operands: the shortest; on a tie
// a sign-extended byte immediate (`add ax, 5` is 66 83 /0 ib, not 66 05 iw), then the
// earlier form (table order, which puts `mov eax, ebx` on 89 /r as NASM does).
// Before that it applies NASM's size rules across forms (an unsized memory operand that the
// forms disagree about is "operation size not specified"; unpinned forms follow `bits`)
// and drops rel8 forms whose target is out of reach. Errors use NASM's wording.

import type { EncodeResult, OptimizationLevel } from "../instruction.ts";
import type { ClassifiedOperand } from "./classify-operands.ts";
import type { EffectiveAddress } from "./effective-address.ts";
import { emitForm } from "./emit-form.ts";
import type { MnemonicForms } from "./encoding-forms.ts";
import { type FormMatch, type MatchContext, matchForm } from "./form-match.ts";
import type { PrefixSlots } from "./prefixes.ts";

type Failure = { ok: false; message: string; operandIndex?: number };

function noMatchError(
  failures: readonly { failure: string; operandIndex: number; matchedCount: number }[],
  mnemonicForms: MnemonicForms,
  operandCount: number,
): Failure {
  const sizeFailure = failures.find((f) => f.failure === "size");
  if (sizeFailure !== undefined) {
    return {
      ok: false,
      message: "mismatch in operand sizes",
      operandIndex: sizeFailure.operandIndex,
    };
  }
  const mostMatched = failures.reduce<(typeof failures)[number] | undefined>(
    (best, f) => (best === undefined || f.matchedCount > best.matchedCount ? f : best),
    undefined,
  );
  const maxOperands = Math.max(...mnemonicForms.forms.map((f) => f.sourceCount));
  const operandIndex =
    mostMatched?.operandIndex ?? (operandCount > maxOperands ? maxOperands : undefined);
  return { ok: false, message: "invalid combination of opcode and operands", operandIndex };
}

/** NASM's size rules that look across forms; returns the surviving matches or an error. */
function applySizeRules(matches: readonly FormMatch[], bits: 16 | 32): FormMatch[] | Failure {
  const unsized = matches.filter((m) => m.unsizedMemoryIndex >= 0);
  let surviving = [...matches];
  if (unsized.length > 0) {
    if (unsized.some((m) => m.unsizedMemoryResolved)) {
      surviving = surviving.filter((m) => m.unsizedMemoryIndex < 0 || m.unsizedMemoryResolved);
    } else if (new Set(unsized.map((m) => m.unsizedMemoryBits)).size > 1) {
      return {
        ok: false,
        message: "operation size not specified",
        operandIndex: unsized[0]!.unsizedMemoryIndex,
      };
    }
  }
  const sized = surviving.filter((m) => {
    const size = m.form.row.operandSize;
    const resolved = m.unsizedMemoryIndex >= 0 && m.unsizedMemoryResolved;
    return m.sizePinned || resolved || (size !== 16 && size !== 32) || size === bits;
  });
  // `jmp [eax]` in 16-bit code is NASM's 16-bit form; without such a row, refuse rather
  // than emit a different instruction.
  if (sized.length === 0 && unsized.length > 0) {
    return {
      ok: false,
      message: `operand size defaults to ${bits} bits here, and sterna has no ${bits}-bit form of this instruction`,
      operandIndex: unsized[0]!.unsizedMemoryIndex,
    };
  }
  return sized;
}

export function selectEncoding(
  mnemonicForms: MnemonicForms,
  operands: readonly ClassifiedOperand[],
  memoryAddresses: readonly (EffectiveAddress | undefined)[],
  bits: 16 | 32,
  address: number,
  slots: PrefixSlots,
  optimization: OptimizationLevel = "x",
): EncodeResult {
  const context: MatchContext = { bits, mnemonicForms, optimization };
  const matches: FormMatch[] = [];
  const failures: { failure: string; operandIndex: number; matchedCount: number }[] = [];
  for (const form of mnemonicForms.forms) {
    if (form.sourceCount !== operands.length) continue;
    const result = matchForm(form, operands, context);
    if (result.ok) matches.push(result.match);
    else failures.push(result);
  }
  if (matches.length === 0) return noMatchError(failures, mnemonicForms, operands.length);
  const surviving = applySizeRules(matches, bits);
  if (!Array.isArray(surviving)) return surviving;

  let best: number[] | undefined;
  let bestHasSignedByte = false;
  let firstError: Failure | undefined;
  for (const match of surviving) {
    const emitted = emitForm(match.form, operands, memoryAddresses, bits, address, slots);
    if (!emitted.ok) {
      firstError ??= emitted;
      continue;
    }
    if (match.shortJumpIndex >= 0) {
      const target = operands[match.shortJumpIndex]!;
      const known = target.kind === "imm" && target.immediate.known;
      const displacement = emitted.relativeDisplacement!;
      if (known && (displacement < -128 || displacement > 127)) {
        const isOnlyChoice =
          (target.kind === "imm" && target.immediate.distance === "short") ||
          !mnemonicForms.hasNearJump;
        if (isOnlyChoice) {
          return {
            ok: false,
            message: "short jump is out of range",
            operandIndex: match.shortJumpIndex,
          };
        }
        continue;
      }
    }
    const hasSignedByte = match.form.row.operands.includes("simm8");
    const isShorter = best === undefined || emitted.bytes.length < best.length;
    const winsTie = emitted.bytes.length === best?.length && hasSignedByte && !bestHasSignedByte;
    if (isShorter || winsTie) {
      best = emitted.bytes;
      bestHasSignedByte = hasSignedByte;
    }
  }
  if (best === undefined)
    return firstError ?? noMatchError(failures, mnemonicForms, operands.length);
  return { ok: true, bytes: Uint8Array.from(best) };
}
