// createMedium: every documented spelling gives its medium, the defaults are token-ring:80
// and switched:100, and a bad spelling is a RangeError naming the bad part.

import { describe, expect, it } from "vitest";
import {
  createMedium,
  defaultFabricSpec,
  fabricSpellings,
  fabricSyntax,
} from "../../../vm/fabric/create-medium.ts";

const options = { nodeCount: 4, seed: 7 };

describe("createMedium", () => {
  it("builds every spelling, with its name", () => {
    const names = fabricSpellings.map((spec) => createMedium(spec, options).name);
    expect(names).toEqual([
      "token-ring:80",
      "token-ring:4",
      "token-ring:16",
      "token-ring:80",
      "ethernet",
      "switched:100",
      "switched:100",
      "switched:1000",
    ]);
    expect(createMedium(defaultFabricSpec, options).name).toBe("token-ring:80");
    expect(fabricSyntax).toBe("token-ring[:4|16|80]|ethernet|switched[:100|1000]");
  });

  it("names the bad part of a spelling", () => {
    expect(() => createMedium("fddi", options)).toThrow(/unknown fabric "fddi"/);
    expect(() => createMedium("token-ring:5", options)).toThrow(/token-ring speed "5"/);
    expect(() => createMedium("switched:1e3", options)).toThrow(/switched speed "1e3"/);
    expect(() => createMedium("switched:", options)).toThrow(RangeError);
    expect(() => createMedium("ethernet:100", options)).toThrow(/ethernet runs at 10 Mbit\/s only/);
    expect(() => createMedium("ethernet", { nodeCount: 0, seed: 1 })).toThrow(/at least 1 node/);
  });

  it("refuses frames out of the total order or from a node not on the medium", () => {
    const medium = createMedium("ethernet", options);
    const bytes = new Uint8Array(64);
    medium.submit({ sourceNode: 1, seq: 0, handedAtNs: 100, bytes });
    expect(() => medium.submit({ sourceNode: 0, seq: 0, handedAtNs: 100, bytes })).toThrow(
      /out of order/,
    );
    expect(() => medium.submit({ sourceNode: 4, seq: 0, handedAtNs: 200, bytes })).toThrow(
      /not on the medium/,
    );
    medium.eventsBefore(1e9);
    expect(() => medium.submit({ sourceNode: 0, seq: 0, handedAtNs: 300, bytes })).toThrow(
      /final up to/,
    );
  });
});
