// Splits a stream program's stdout into per-step machine states. Each dump is 36 bytes laid out
// by PUSHAD then PUSHFD (EDI ESI EBP ESP EBX EDX ECX EAX, EFLAGS), followed by the 64-byte window
// for steps marked `w`. Registers are returned in encoding order (EAX ECX EDX EBX ESP EBP ESI
// EDI) with ESP corrected to the stream's own value (the dump runs one or two calls deep).

import { WINDOW_SIZE_BYTES } from "./memory-regions.ts";
import { DUMP_REGS_BYTES } from "./program-layout.ts";
import { ESP } from "./registers.ts";
import type { StepRecord } from "./stream-builder.ts";

export interface MachineState {
  regs: Uint32Array;
  eflags: number;
  window?: Uint8Array;
}

/** PUSHAD stores EDI first (lowest address); index = position in the dump, value = register. */
const pushadOrder = [7, 6, 5, 4, 3, 2, 1, 0];

export interface ParsedDumps {
  states: MachineState[];
  /** Bytes left over that do not form a whole dump (a program cut short mid-dump). */
  trailingBytes: number;
}

export function parseDumps(output: Uint8Array, steps: readonly StepRecord[]): ParsedDumps {
  const view = new DataView(output.buffer, output.byteOffset, output.byteLength);
  const states: MachineState[] = [];
  let offset = 0;
  for (const step of steps) {
    const size = DUMP_REGS_BYTES + (step.window ? WINDOW_SIZE_BYTES : 0);
    if (offset + size > output.byteLength) break;
    const regs = new Uint32Array(8);
    for (let i = 0; i < 8; i++) regs[pushadOrder[i]!] = view.getUint32(offset + i * 4, true);
    // PUSHAD saw ESP after the call's return address and PUSHFD (and dump_window's call).
    regs[ESP] = (regs[ESP]! + (step.window ? 12 : 8)) >>> 0;
    const eflags = view.getUint32(offset + 32, true);
    const state: MachineState = { regs, eflags };
    if (step.window) {
      state.window = output.slice(offset + DUMP_REGS_BYTES, offset + size);
    }
    states.push(state);
    offset += size;
  }
  return { states, trailingBytes: output.byteLength - offset };
}
