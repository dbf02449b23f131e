// The fuzz engine: a child process that runs inputs from..from+count-1 of one target in-process
// and tells its parent (over the IPC channel) which input it starts and what it finds. It is
// a separate process so that a hang can be killed, and a host abort (V8 out of memory) or a
// crash is caught, by the parent (main.ts), which then restarts it after the culprit.
// Arguments: TARGET SEED FROM COUNT.

import { generateInput } from "./inputs.ts";
import { describeThrown } from "./target.ts";
import { findTarget } from "./targets/index.ts";

export type EngineMessage =
  | { kind: "start"; index: number; timeLimitFactor: number }
  | { kind: "finding"; index: number; text: string; summary: string }
  | { kind: "done"; tried: number };

function send(message: EngineMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

const [targetName, seedText, fromText, countText] = process.argv.slice(2);
const target = findTarget(targetName ?? "");
if (!target || !process.send) {
  process.stderr.write("fuzz engine: run by `npm run fuzz`, with TARGET SEED FROM COUNT\n");
  process.exit(2);
}
const seed = Number(seedText);
const from = Number(fromText);
const count = Number(countText);
for (let index = from; index < from + count; index++) {
  const input = generateInput(target, seed, index);
  await send({ kind: "start", index, timeLimitFactor: target.timeLimitFactor?.(input) ?? 1 });
  let verdict: Awaited<ReturnType<typeof target.run>>;
  try {
    verdict = await target.run(input);
  } catch (error) {
    verdict = { ok: false, finding: describeThrown(error) };
  }
  if (!verdict.ok) {
    await send({ kind: "finding", index, text: verdict.finding, summary: target.summarize(input) });
  }
}
await send({ kind: "done", tried: count });
process.disconnect();
