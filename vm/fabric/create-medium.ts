// Turns a fabric spelling from the command line ("token-ring:16", "ethernet", "switched:1000")
// into its medium. A bad spelling is a RangeError whose message names the bad part, for the
// CLI to print as one line.

import { mixSeed } from "../random/seeded-random.ts";
import { Ethernet } from "./ethernet.ts";
import { FaultInjector, type FaultOptions, hasFaults } from "./fault-injector.ts";
import type { Medium } from "./medium.ts";
import {
  switchedBitRatesMbps,
  switchedDefaultBitRateMbps,
  tokenRingBitRatesMbps,
  tokenRingDefaultBitRateMbps,
} from "./network-costs.ts";
import { Switched, type SwitchedBitRateMbps } from "./switched.ts";
import { TokenRing, type TokenRingBitRateMbps } from "./token-ring.ts";

export const defaultFabricSpec = "token-ring:80";

/** Every accepted spelling, for help text. */
export const fabricSpellings: readonly string[] = [
  "token-ring",
  ...tokenRingBitRatesMbps.map((rate) => `token-ring:${rate}`),
  "ethernet",
  "switched",
  ...switchedBitRatesMbps.map((rate) => `switched:${rate}`),
];

/** The syntax in one line: token-ring[:4|16|80]|ethernet|switched[:100|1000]. */
export const fabricSyntax = `token-ring[:${tokenRingBitRatesMbps.join("|")}]|ethernet|switched[:${switchedBitRatesMbps.join("|")}]`;

export interface MediumOptions {
  nodeCount: number;
  /** The cluster seed; media that draw randomness (Ethernet's backoff) fork their streams from it. */
  seed: number;
  /** Seeded faults on deliveries (vm/fabric/fault-injector.ts); none by default. */
  faults?: Omit<FaultOptions, "seed">;
}

/** The medium a spelling names, wrapped in a FaultInjector when faults are asked for. */
export function createMedium(spec: string, options: MediumOptions): Medium {
  const medium = createBareMedium(spec, options);
  const faults = options.faults;
  if (faults === undefined || !hasFaults(faults)) return medium;
  return new FaultInjector(medium, { ...faults, seed: mixSeed(options.seed, "faults") });
}

function createBareMedium(spec: string, options: MediumOptions): Medium {
  const colon = spec.indexOf(":");
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const rateText = colon < 0 ? undefined : spec.slice(colon + 1);
  switch (kind) {
    case "token-ring": {
      const rate = parseRate(kind, rateText, tokenRingBitRatesMbps, tokenRingDefaultBitRateMbps);
      return new TokenRing(options.nodeCount, rate as TokenRingBitRateMbps);
    }
    case "switched": {
      const rate = parseRate(kind, rateText, switchedBitRatesMbps, switchedDefaultBitRateMbps);
      return new Switched(options.nodeCount, rate as SwitchedBitRateMbps);
    }
    case "ethernet":
      if (rateText !== undefined) {
        throw new RangeError(`fabric ethernet runs at 10 Mbit/s only, got speed "${rateText}"`);
      }
      return new Ethernet(options.nodeCount, options.seed);
    default:
      throw new RangeError(`unknown fabric "${kind}" (expected ${fabricSyntax})`);
  }
}

function parseRate(
  kind: string,
  rateText: string | undefined,
  rates: readonly number[],
  defaultRate: number,
): number {
  if (rateText === undefined) return defaultRate;
  const rate = /^\d+$/.test(rateText) ? Number(rateText) : Number.NaN;
  if (!rates.includes(rate)) {
    throw new RangeError(
      `fabric ${kind} speed "${rateText}" is not one of ${rates.join(", ")} (Mbit/s)`,
    );
  }
  return rate;
}
