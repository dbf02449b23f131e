// The steps file stored next to each stream fixture: one line per dumped step with its compare
// masks and source text, `FLAGSMASK WINDOW UNDEFINED TEXT`, e.g.
//   0x0cd5 w - add dword [window+12], eax
//   0x0c40 . 3:0xffff bsf bx, word [rodata+780]
// FLAGSMASK: EFLAGS bits compared; WINDOW: `w` when the window is dumped too; UNDEFINED: `-` or
// comma-separated `register:bits` pairs masked out of the comparison. Lines starting with `#`
// are comments (the first one records the seed).

import type { StepRecord } from "./stream-builder.ts";

export function formatSteps(seed: number, steps: readonly StepRecord[]): string {
  const lines = [`# seed ${seed}: FLAGSMASK WINDOW UNDEFINED TEXT, one line per dump`];
  for (const step of steps) {
    const undefinedText =
      step.undefinedRegBits.length === 0
        ? "-"
        : step.undefinedRegBits.map(([reg, bits]) => `${reg}:0x${bits.toString(16)}`).join(",");
    const mask = `0x${step.flagsMask.toString(16).padStart(4, "0")}`;
    lines.push(`${mask} ${step.window ? "w" : "."} ${undefinedText} ${step.text}`);
  }
  return `${lines.join("\n")}\n`;
}

export interface ParsedSteps {
  seed: number;
  steps: StepRecord[];
}

export function parseSteps(text: string, fileName: string): ParsedSteps {
  const lines = text.split("\n");
  const header = /^# seed (\d+):/.exec(lines[0] ?? "");
  if (!header) throw new Error(`${fileName}:1: expected "# seed N:" header`);
  const steps: StepRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(0x[0-9a-f]+) ([w.]) (\S+) (.*)$/.exec(line);
    if (!match) throw new Error(`${fileName}:${i + 1}: malformed step line`);
    const undefinedRegBits: Array<[number, number]> = [];
    if (match[3] !== "-") {
      for (const pair of match[3]!.split(",")) {
        const [reg, bits] = pair.split(":");
        const index = Number(reg);
        if (!(index >= 0 && index < 8) || bits === undefined) {
          throw new Error(`${fileName}:${i + 1}: bad undefined-register field "${pair}"`);
        }
        undefinedRegBits.push([index, Number(bits)]);
      }
    }
    steps.push({
      flagsMask: Number(match[1]),
      window: match[2] === "w",
      undefinedRegBits,
      text: match[4]!,
    });
  }
  return { seed: Number(header[1]), steps };
}
