// Accumulates a stream program's body: each step is a few setup `mov`s plus one instruction
// under test, followed by a call to the dump routine. Tracks, the way the Intel manual defines
// them, which flags are currently defined (an undefined flag stays undefined until something
// defines it), so every step carries the exact mask its dump is compared under. Also models the
// stack so POPF only ever pops a value whose bits are known to be safe (no TF/AC), and so pops
// never run below the pushes.

import { DF, type FlagContext, flagEffect, STATUS } from "./defined-flags.ts";
import { type MemoryOperand, memoryOperand, type Region } from "./memory-regions.ts";
import type { Prng } from "./prng.ts";
import { hex, randomReg, randomValue, reg32Names } from "./registers.ts";

/** Most bytes the streams keep pushed on their stack. */
export const STACK_DEPTH_MAX_BYTES = 96;

/** One dumped step, as stored in the fixture's steps file. */
export interface StepRecord {
  /** Source lines of the step joined with " ; ". */
  text: string;
  /** EFLAGS bits compared after the step. */
  flagsMask: number;
  /** The dump after this step includes the window. */
  window: boolean;
  /** Registers (encoding index) whose listed bits are undefined after the step. */
  undefinedRegBits: Array<[number, number]>;
}

export interface StepSpec {
  setup?: string[];
  /** The instruction(s) under test (several lines only for branch shapes). */
  lines: string[];
  /** Mnemonic as defined-flags.ts knows it. */
  mnemonic: string;
  context: FlagContext;
  /** Set when the instruction may write the window. */
  writesWindow?: boolean;
  undefinedRegBits?: Array<[number, number]>;
  /** The setup ends with POPFD of a known image: every flag is defined before the instruction. */
  setupDefinesFlags?: boolean;
}

export class StreamBuilder {
  readonly lines: string[] = [];
  readonly steps: StepRecord[] = [];
  /** Status flags currently undefined by the manual's rules. */
  private unknownFlags = 0;
  /** Pushed bytes, oldest first: true when the byte came from flags or a safe flag image. */
  private readonly stackBytesSafe: boolean[] = [];
  private labelCounter = 0;

  constructor(
    readonly prng: Prng,
    readonly rodata: Uint8Array,
  ) {}

  newLabel(): string {
    this.labelCounter++;
    return `.L${this.labelCounter}`;
  }

  get stackDepthBytes(): number {
    return this.stackBytesSafe.length;
  }

  /** True when the top `sizeBytes` bytes may be loaded into EFLAGS. */
  stackTopSafe(sizeBytes: number): boolean {
    const depth = this.stackBytesSafe.length;
    if (depth < sizeBytes) return false;
    for (let i = depth - sizeBytes; i < depth; i++) if (!this.stackBytesSafe[i]) return false;
    return true;
  }

  pushed(sizeBytes: number, safe: boolean): void {
    for (let i = 0; i < sizeBytes; i++) this.stackBytesSafe.push(safe);
  }

  popped(sizeBytes: number): void {
    if (this.stackBytesSafe.length < sizeBytes) throw new Error("stream stack underflow");
    this.stackBytesSafe.length -= sizeBytes;
  }

  memory(
    region: Region,
    offsetBytes: number,
    avoid: ReadonlySet<number> = new Set(),
  ): MemoryOperand {
    return memoryOperand(this.prng, region, offsetBytes, avoid);
  }

  /** Little-endian unsigned value of `widthBytes` bytes at rodata[offset]. */
  rodataValue(offsetBytes: number, widthBytes: number): number {
    let value = 0;
    for (let i = widthBytes - 1; i >= 0; i--) value = value * 256 + this.rodata[offsetBytes + i]!;
    return value;
  }

  /** Emits one step: defines any flag it reads that is undefined first, then dumps after it. */
  emit(spec: StepSpec): void {
    const effect = flagEffect(spec.mnemonic, spec.context);
    if (spec.setupDefinesFlags) this.unknownFlags = 0;
    if (effect.read & this.unknownFlags) this.emitFlagDefiner();
    this.unknownFlags = (this.unknownFlags & ~effect.defined) | effect.undefined;
    const allLines = [...(spec.setup ?? []), ...spec.lines];
    for (const line of allLines) this.lines.push(line.endsWith(":") ? line : `  ${line}`);
    const window = spec.writesWindow ?? false;
    this.lines.push(window ? "  call dump_window" : "  call dump");
    this.steps.push({
      text: allLines.join(" ; "),
      flagsMask: (STATUS & ~this.unknownFlags) | DF,
      window,
      undefinedRegBits: spec.undefinedRegBits ?? [],
    });
    // An undefined register would make every later use of it undefined: reload it at once.
    for (const [index] of spec.undefinedRegBits ?? []) {
      this.emit({
        lines: [`mov ${reg32Names[index]}, ${hex(randomValue(this.prng, 32))}`],
        mnemonic: "mov",
        context: { widthBits: 32 },
      });
    }
  }

  /** A step with an instruction that defines all six status flags (ADD/SUB/CMP). */
  private emitFlagDefiner(): void {
    const op = this.prng.pick(["add", "sub", "cmp"]);
    const dst = reg32Names[randomReg(this.prng, 32).index];
    const src = this.prng.chance(0.5)
      ? reg32Names[randomReg(this.prng, 32).index]
      : hex(randomValue(this.prng, 32));
    this.emit({ lines: [`${op} ${dst}, ${src}`], mnemonic: op, context: { widthBits: 32 } });
  }
}
