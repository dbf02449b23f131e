// The seeded job stream of `sterna bench balance` (docs/load-balancing.md): Poisson arrivals
// at nodes drawn uniformly, each job a CPU demand from a bounded Pareto law. With alpha = 1 the
// law is Harchol-Balter and Downey's lifetime law: a job that has run b seconds runs past
// a > b with probability b/a (up to the bound). The arrival rate is set so that the offered
// load, rate x mean demand / nodes, is the one asked for. Arrivals, nodes and demands each
// draw from their own fork of the seed, so the same seed gives the same nodes and demands at
// every load, the arrival times only scaled. Leaves out: any memory or I/O of a job.

import { SeededRandom } from "../../../vm/random/seeded-random.ts";

export interface BoundedPareto {
  alpha: number;
  /** The least demand, in ns. */
  lowerNs: number;
  /** The greatest demand, in ns. */
  upperNs: number;
}

/** Demand for a uniform u in [0, 1): the inverse of the law's distribution function. */
export function boundedParetoQuantile(law: BoundedPareto, u: number): number {
  const { alpha, lowerNs, upperNs } = law;
  const tail = (lowerNs / upperNs) ** alpha;
  return lowerNs / (1 - u * (1 - tail)) ** (1 / alpha);
}

/** The law's mean in ns (alpha = 1 has its own closed form, with a logarithm). */
export function boundedParetoMeanNs(law: BoundedPareto): number {
  const { alpha, lowerNs, upperNs } = law;
  const tail = (lowerNs / upperNs) ** alpha;
  if (Math.abs(alpha - 1) < 1e-12) {
    return (lowerNs * Math.log(upperNs / lowerNs)) / (1 - tail);
  }
  return (
    ((alpha * lowerNs ** alpha) / (1 - tail)) *
    ((lowerNs ** (1 - alpha) - upperNs ** (1 - alpha)) / (alpha - 1))
  );
}

export interface JobStreamOptions {
  seed: number;
  nodeCount: number;
  jobCount: number;
  /** Offered load: arrival rate x mean demand / nodes, in (0, 1). */
  load: number;
  demand: BoundedPareto;
  /** The first arrival's earliest time, so the cluster has booted and heard some loads. */
  startNs: number;
}

export interface Job {
  /** Scheduled arrival, virtual ns from boot. */
  arrivalNs: number;
  /** The node it arrives at. */
  node: number;
  /** CPU demand drawn from the law, ns. */
  demandNs: number;
}

/** Jobs per second that make the offered load `load` on `nodeCount` nodes. */
export function arrivalRatePerSecond(
  load: number,
  nodeCount: number,
  demand: BoundedPareto,
): number {
  return (load * nodeCount) / (boundedParetoMeanNs(demand) / 1e9);
}

export function jobStream(options: JobStreamOptions): Job[] {
  const root = new SeededRandom(options.seed);
  const gaps = root.fork("arrival-gaps");
  const nodes = root.fork("arrival-nodes");
  const demands = root.fork("demands");
  const meanGapNs = 1e9 / arrivalRatePerSecond(options.load, options.nodeCount, options.demand);
  const jobs: Job[] = [];
  let atNs = options.startNs;
  for (let index = 0; index < options.jobCount; index++) {
    // An exponential gap: -ln(1 - u) with u in [0, 1) is finite.
    atNs += -Math.log(1 - gaps.next()) * meanGapNs;
    jobs.push({
      arrivalNs: Math.round(atNs),
      node: nodes.below(options.nodeCount),
      demandNs: boundedParetoQuantile(options.demand, demands.next()),
    });
  }
  return jobs;
}

export interface RealisedLoad {
  /** The demands' sum over nodes x (stream start to last arrival): what the stream offered. */
  overArrivals: number;
  /**
   * The demands' sum over nodes x (stream start to the earliest the last job can end, its
   * arrival plus its demand): the most load the cluster can have carried until every job ended.
   */
  untilLastEnd: number;
}

/**
 * The load a finite stream really offers. A heavy-tailed sample's mean strays from the law's,
 * and a long job arriving late stretches the run past the last arrival at a light load.
 */
export function realisedLoad(
  jobs: readonly Job[],
  nodeCount: number,
  startNs: number,
): RealisedLoad {
  let demandNsTotal = 0;
  let lastArrivalNs = startNs;
  let lastEndNs = startNs;
  for (const job of jobs) {
    demandNsTotal += job.demandNs;
    lastArrivalNs = Math.max(lastArrivalNs, job.arrivalNs);
    lastEndNs = Math.max(lastEndNs, job.arrivalNs + job.demandNs);
  }
  const loadOver = (spanNs: number) => (spanNs > 0 ? demandNsTotal / (nodeCount * spanNs) : 0);
  return {
    overArrivals: loadOver(lastArrivalNs - startNs),
    untilLastEnd: loadOver(lastEndNs - startNs),
  };
}
