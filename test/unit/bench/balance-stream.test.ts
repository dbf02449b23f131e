// `sterna bench balance`, its parts: the bounded Pareto law stays within its bounds and has
// the mean its formula says; the job stream is a function of its seed (the same nodes and
// demands at every load, arrivals only scaled) and offers the load asked for; the injector's
// schedule table holds every job and assembles; job.asm runs its count and refuses bad ones.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assembleImage, injectorPath } from "../../../tools/bench/balance/guest-images.ts";
import {
  injectorSource,
  iterationsFor,
  nodeAny,
  scheduleFor,
  scheduleTable,
} from "../../../tools/bench/balance/injector-source.ts";
import {
  type BoundedPareto,
  boundedParetoMeanNs,
  boundedParetoQuantile,
  jobStream,
  realisedLoad,
} from "../../../tools/bench/balance/job-stream.ts";
import { mean, percentile } from "../../../tools/bench/balance/slowdown-stats.ts";
import { demandLaw } from "../../../tools/bench/balance.ts";
import { SeededRandom } from "../../../vm/random/seeded-random.ts";
import { sterna } from "../../support/run-cli.ts";
import { propertySeed } from "../../support/seeded-property.ts";

const seed = propertySeed();

function streamAt(load: number, streamSeed = 5) {
  return jobStream({
    seed: streamSeed,
    nodeCount: 8,
    jobCount: 400,
    load,
    demand: demandLaw(100),
    startNs: 1e9,
  });
}

describe(`bench balance: the job stream (replay: STERNA_SEED=${seed})`, () => {
  it("draws demands within the bounds, with the mean of the formula", () => {
    const law: BoundedPareto = { alpha: 1, lowerNs: 1e9, upperNs: 1000e9 };
    expect(boundedParetoQuantile(law, 0)).toBe(1e9);
    expect(boundedParetoQuantile(law, 1 - 2 ** -32)).toBeLessThan(1000e9);
    expect(boundedParetoQuantile(law, 1)).toBeCloseTo(1000e9, -3);
    // alpha = 1: lower x upper / (upper - lower) x ln(upper / lower) = 6.9147 s.
    expect(boundedParetoMeanNs(law) / 1e9).toBeCloseTo(6.9147, 3);
    const random = new SeededRandom(seed);
    for (const alpha of [1, 1.5]) {
      const each = { ...law, alpha };
      let sum = 0;
      let least = Number.POSITIVE_INFINITY;
      let most = 0;
      const count = 200_000;
      for (let index = 0; index < count; index++) {
        const demand = boundedParetoQuantile(each, random.next());
        least = Math.min(least, demand);
        most = Math.max(most, demand);
        sum += demand;
      }
      expect(least).toBeGreaterThanOrEqual(each.lowerNs);
      expect(most).toBeLessThanOrEqual(each.upperNs);
      // The standard error is under 0.5 % of the mean for both laws at this count.
      expect(sum / count / boundedParetoMeanNs(each)).toBeCloseTo(1, 1);
      expect(Math.abs(sum / count / boundedParetoMeanNs(each) - 1)).toBeLessThan(0.03);
    }
    // The closed form for alpha != 1 against a midpoint sum of x f(x).
    const alpha = 1.5;
    const { lowerNs, upperNs } = law;
    const density = (x: number) =>
      (alpha * lowerNs ** alpha * x ** (-alpha - 1)) / (1 - (lowerNs / upperNs) ** alpha);
    let integral = 0;
    const steps = 200_000;
    const logStep = Math.log(upperNs / lowerNs) / steps;
    for (let index = 0; index < steps; index++) {
      const x = lowerNs * Math.exp((index + 0.5) * logStep);
      integral += x * density(x) * x * logStep;
    }
    expect(boundedParetoMeanNs({ alpha, lowerNs, upperNs }) / integral).toBeCloseTo(1, 6);
  });

  it("is a function of its seed: the same nodes and demands at every load", () => {
    expect(streamAt(0.7)).toEqual(streamAt(0.7));
    expect(streamAt(0.7, 6)).not.toEqual(streamAt(0.7));
    const low = streamAt(0.5);
    const high = streamAt(0.7);
    expect(low.map((job) => [job.node, job.demandNs])).toEqual(
      high.map((job) => [job.node, job.demandNs]),
    );
    // Arrivals after the start scale with 1 / load.
    const ratio = (low[399]!.arrivalNs - 1e9) / (high[399]!.arrivalNs - 1e9);
    expect(ratio).toBeCloseTo(0.7 / 0.5, 6);
    for (let index = 1; index < high.length; index++) {
      expect(high[index]!.arrivalNs).toBeGreaterThanOrEqual(high[index - 1]!.arrivalNs);
    }
    expect(new Set(high.map((job) => job.node))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
  });

  it("offers the load asked for: arrival rate x mean demand / nodes", () => {
    const jobs = jobStream({
      seed,
      nodeCount: 8,
      jobCount: 20_000,
      load: 0.7,
      demand: demandLaw(100),
      startNs: 0,
    });
    const ratePerNs = jobs.length / jobs[jobs.length - 1]!.arrivalNs;
    const offered = (ratePerNs * boundedParetoMeanNs(demandLaw(100))) / 8;
    expect(Math.abs(offered - 0.7)).toBeLessThan(0.03);
  });

  it("realises a load: demands over nodes x the arrivals' span, or until the last can end", () => {
    const jobs = [
      { arrivalNs: 10e9, node: 0, demandNs: 5e9 },
      { arrivalNs: 20e9, node: 1, demandNs: 30e9 },
    ];
    const realised = realisedLoad(jobs, 2, 0);
    expect(realised.overArrivals).toBeCloseTo(35 / (2 * 20), 9);
    expect(realised.untilLastEnd).toBeCloseTo(35 / (2 * 50), 9);
    expect(realisedLoad([], 2, 0)).toEqual({ overArrivals: 0, untilLastEnd: 0 });
  });

  it("realises close to the offered load with the defaults, far below with the old ones", () => {
    const realisedWith = (jobCount: number, demandMaxSeconds: number) =>
      realisedLoad(
        jobStream({
          seed: 5,
          nodeCount: 8,
          jobCount,
          load: 0.7,
          demand: demandLaw(demandMaxSeconds),
          startNs: 1e9,
        }),
        8,
        1e9,
      );
    // 300 jobs up to 100 s (docs/load-balancing.md, Defaults).
    const now = realisedWith(300, 100);
    expect(now.overArrivals).toBeCloseTo(0.75, 2);
    expect(now.untilLastEnd).toBeCloseTo(0.634, 2);
    // 100 jobs up to 1000 s: one long job lasts most of the stream.
    const before = realisedWith(100, 1000);
    expect(before.overArrivals).toBeCloseTo(0.61, 2);
    expect(before.untilLastEnd).toBeCloseTo(0.41, 2);
  });

  it("takes the mean and the nearest-rank percentile", () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(mean(values)).toBe(50.5);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile([3], 0.95)).toBe(3);
  });
});

describe("bench balance: the injector's schedule", () => {
  const jobs = [
    { arrivalNs: 1_500_000_000, node: 3, demandNs: 2e9 },
    { arrivalNs: 6_000_000_000, node: 0, demandNs: 1e9 },
  ];

  it("turns demands into iteration counts, bounded by job.asm's 32 bits", () => {
    expect(iterationsFor(1e9, 1600)).toBe(625_000);
    expect(iterationsFor(1, 1600)).toBe(1);
    expect(() => iterationsFor(1e13, 1)).toThrow(/lower --clock/);
  });

  it("lists each job's arrival, node (or NODE_ANY) and argument, in order", () => {
    const atArrival = scheduleFor(jobs, 1600, false);
    expect(atArrival.map((job) => job.spawnNode)).toEqual([3, 0]);
    expect(scheduleFor(jobs, 1600, true).map((job) => job.spawnNode)).toEqual([nodeAny, nodeAny]);
    expect(scheduleTable(atArrival)).toBe(
      [
        "section .data",
        "JOB_COUNT equ 2",
        "align 4",
        "schedule:",
        "    dq 1500000000",
        "    dd 3, argument_0",
        "    dq 6000000000",
        "    dd 0, argument_1",
        'argument_0: db "1250000", 0',
        'argument_1: db "625000", 0',
        "",
      ].join("\n"),
    );
    const image = assembleImage(injectorSource(atArrival), injectorPath);
    expect([...image.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
  });
});

describe("bench balance: job.asm", () => {
  it("runs 16 cycles an iteration, exits 0, and exits 2 on a bad count", async () => {
    const image = join(mkdtempSync(join(tmpdir(), "sterna-job-")), "job");
    const built = await sterna([
      "asm",
      "userland/programs/job.asm",
      "-I",
      "userland/include",
      "-o",
      image,
    ]);
    expect(built.status, built.stderr).toBe(0);
    const cycles = async (count: string) => {
      const run = await sterna(["exec", "--stats", image, count]);
      expect(run.status, run.stderr).toBe(0);
      return Number(/cycles (\d+)/.exec(run.stderr)![1]);
    };
    const [more, fewer] = await Promise.all([cycles("2000"), cycles("1000")]);
    expect(more - fewer).toBe(16_000);
    const bads = [[], ["0"], ["12a"], ["4294967296"]];
    const runs = await Promise.all(bads.map((bad) => sterna(["exec", image, ...bad])));
    runs.forEach((run, index) => {
      expect(run.status, bads[index]!.join(" ")).toBe(2);
      expect(run.stderr).toContain("job: expected one argument");
    });
  });
});
