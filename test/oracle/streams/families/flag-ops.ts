// Flag families: LAHF/SAHF, CLC/STC/CMC, CLD/STD.

import type { StreamBuilder } from "../stream-builder.ts";

export function emitFlagOp(b: StreamBuilder): void {
  const op = b.prng.pick(["lahf", "sahf", "clc", "stc", "cmc", "cld", "std"] as const);
  b.emit({ lines: [op], mnemonic: op, context: { widthBits: 32 } });
}
