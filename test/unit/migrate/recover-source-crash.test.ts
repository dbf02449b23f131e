// recover: a send the source dropped is parked at its sender's node until the new address is
// announced. When the source crashes before that, nothing announced it: the sender's kernel
// used to wait for ever (its guest blocked until --until, exit 124). Now a node with a parked
// send watches the source (with --crash, as it watches its remote children's nodes), notices the
// failure and answers the send as any send whose node failed: through the home, or -ESRCH when
// the home is the failed node (here: 0.1 was born on node 0). The process frozen at the crashed
// source is lost with it (that it is not reported lost is kernel fault 1 of the issue-10 notes).
// Replay: npx sterna boot --fabric ethernet --run 'userland/programs/state-relay.asm 1'
//   --migrate 20ms:0.1:2 --migrate 50ms:1.1:3 --migrate 50ms:0.1:1 --delivery recover
//   --crash 100ms:0 --until 30s

import { describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";
import { relayOnEthernet, relayThreeMoves } from "../../support/state-relay-run.ts";

describe("recover, with the source crashed before the new address is announced", () => {
  it("answers the parked send instead of leaving its sender blocked for ever", async () => {
    const run = await sterna([
      ...relayOnEthernet,
      ...relayThreeMoves,
      "--delivery",
      "recover",
      "--workers",
      "1",
      "--crash",
      "100ms:0",
      "--until",
      "30s",
    ]);
    expect(run.stderr).not.toMatch(/time limit/);
    // The partner's send to 0.1 (born on the crashed node) fails, and the relay ends with 1.
    expect(run.stderr).toMatch(/^ {2}1\.1 +3 +1 /m);
  }, 120_000);
});
