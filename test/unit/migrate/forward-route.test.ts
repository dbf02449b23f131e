// The Forward kernel message's route (kernel/net/kernel-messages.ts): hop count, the newest
// location version it went by, and the nodes that passed it on, which the node that finds the
// process tells where it is (docs/migration.md, "Where the code departs"). Decoded as encoded;
// a count of nodes past its bound or past the hop count, or nodes missing, is refused.

import { describe, expect, it } from "vitest";
import {
  decodeKernelMessage,
  encodeKernelMessage,
  type ForwardRoute,
  forwardViaMax,
  KernelMessageError,
  KernelMessageKind,
} from "../../../kernel/net/kernel-messages.ts";

const inner = encodeKernelMessage({ kind: KernelMessageKind.Probe });

function forwardBytes(route: ForwardRoute): Uint8Array {
  return encodeKernelMessage({ kind: KernelMessageKind.Forward, originNode: 5, route, inner });
}

describe("Forward's route", () => {
  it("decodes as encoded", () => {
    const route = { hops: 9, version: 18, via: [3, 4, 5, 6, 7, 8, 9, 10, 11] };
    expect(decodeKernelMessage(forwardBytes(route))).toEqual({
      kind: KernelMessageKind.Forward,
      originNode: 5,
      route,
      inner,
    });
  });

  it("refuses more nodes than its bound or its hops, and nodes cut off", () => {
    const tooMany = Array.from({ length: forwardViaMax + 1 }, (_, index) => index);
    expect(() => decodeKernelMessage(forwardBytes({ hops: 40, version: 2, via: tooMany }))).toThrow(
      KernelMessageError,
    );
    expect(() => decodeKernelMessage(forwardBytes({ hops: 1, version: 2, via: [1, 2] }))).toThrow(
      /more than 1/,
    );
    const cut = forwardBytes({ hops: 3, version: 2, via: [1, 2, 3] }).slice(0, 1 + 16 + 8);
    expect(() => decodeKernelMessage(cut)).toThrow(/runs past the end/);
  });
});
