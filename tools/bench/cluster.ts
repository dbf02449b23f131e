// `sterna bench cluster`: what the cluster costs on this host.
// - workers: 16 CPU-bound nodes on the switched fabric for a fixed virtual time, with 1 and
//   with 2 worker threads (wall time, and the speedup; target >= 1.8x on 2 cores), in all
//   and after the first virtual seconds, once start-up and JIT warm-up are done; three runs
//   of each, alternating, and the medians (one W=2 run on this host varies by up to 2x);
// - largest: the largest cluster (16, 64, 128, 256 nodes) that boots and runs a ping from
//   node 0 to its last node within a minute of wall time (target 256);
// - fabric: frames per host second through each medium alone, for a fixed random traffic;
// - barrier: the host cost of one quantum exchange with a worker thread (idle nodes).
// Every figure is measured in this process, with the command to rerun it.
// Run: npx sterna bench cluster [--json] (or npx tsx tools/bench/cluster.ts [--json]).

import { availableParallelism } from "node:os";
import { join } from "node:path";
import { runtimeModuleUrl } from "../../vm/cluster/module-location.ts";
import { spinChecksFor } from "../../vm/cluster/spin-budget.ts";
import { WorkerNodeGroup } from "../../vm/cluster/worker-node-group.ts";
import { createMedium } from "../../vm/fabric/create-medium.ts";
import { buildFrame } from "../../vm/fabric/ethernet-frame.ts";
import { macForNode } from "../../vm/fabric/mac-address.ts";
import { FrameEventKind, type Medium } from "../../vm/fabric/medium.ts";
import { repositoryRoot } from "../cli/program-file.ts";
import { bootCluster } from "../cluster/boot-cluster.ts";
import { assembleFile, assembleImage } from "./guest-image.ts";

export interface ClusterBenchOptions {
  json: boolean;
  /** Virtual time of the workers figure; default 6 s (at least 2: the figure after the warm-up needs one). */
  busySeconds?: number;
  /** Runs of each worker count, alternating; default 3. The figures are their medians. */
  busyRuns?: number;
  /** Cluster sizes to try for the largest figure. */
  sizes?: number[];
}

const pingSource = `%include "sterna.inc"
section .text
global _start
_start:
    cmp dword [esp], 2
    jae pong
    sys SYS_NODEINFO, 0
    dec edx
    mov eax, [esp + 4]
    sys_spawn eax, edx, pong_argument
    test eax, eax
    js failed
    mov edi, eax
    sys_send edi, buffer, 4
    sys_receive buffer, 4, edi, 0
    sys_wait edi
    sys_exit eax
pong:
    sys_receive buffer, 4, 0, 0
    sys_send edx, buffer, 4
    sys_exit 0
failed:
    sys_exit 1
section .data
pong_argument: db "pong", 0
buffer: dd 0
`;

/**
 * Virtual seconds a busy run takes to warm up: starting the worker thread and its JIT (each
 * thread compiles the kernel and the guests' blocks on its own) fills about the first two.
 */
const warmUpSeconds = 2;

function quietListener() {
  return { console: () => {}, report: () => {} };
}

/** Host seconds of a busy run: in all, and when each virtual second ended (index 0: the first). */
interface BusyTiming {
  totalSeconds: number;
  secondEndsSeconds: number[];
}

async function timeBusy(workers: number, nodes: number, seconds: number): Promise<BusyTiming> {
  const image = assembleFile(join(repositoryRoot, "userland", "programs", "cpu-worker.asm"));
  const started = performance.now();
  const secondEndsSeconds: number[] = [];
  const listener = {
    ...quietListener(),
    second: () => {
      secondEndsSeconds.push((performance.now() - started) / 1000);
    },
  };
  const result = await bootCluster({
    nodeCount: nodes,
    workers,
    seed: 1,
    medium: createMedium("switched:1000", { nodeCount: nodes, seed: 1 }),
    files: [{ path: "cpu-worker.asm", image }],
    runs: Array.from({ length: nodes }, (_, node) => ({
      path: "cpu-worker.asm",
      node,
      argumentText: "forever",
    })),
    untilNs: seconds * 1e9,
    clockHz: 100e6,
    memoryBytes: 16 * 1024 * 1024,
    listener,
  });
  if (result.outcome !== "time-limit") throw new Error(`busy run ended early: ${result.outcome}`);
  return { totalSeconds: (performance.now() - started) / 1000, secondEndsSeconds };
}

/** Host seconds from the end of virtual second `fromSecond` to the end of the run. */
function secondsAfter(timing: BusyTiming, fromSecond: number): number {
  return timing.totalSeconds - timing.secondEndsSeconds[fromSecond - 1]!;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timePing(nodes: number): Promise<{ seconds: number; ok: boolean }> {
  const image = assembleImage(pingSource, "ping.asm");
  const started = performance.now();
  const result = await bootCluster({
    nodeCount: nodes,
    workers: 2,
    seed: 1,
    medium: createMedium("token-ring:80", { nodeCount: nodes, seed: 1 }),
    files: [{ path: "ping.asm", image }],
    runs: [{ path: "ping.asm", node: 0, argumentText: "" }],
    untilNs: 10e9,
    clockHz: 100e6,
    memoryBytes: 64 * 1024 * 1024,
    listener: quietListener(),
  });
  return { seconds: (performance.now() - started) / 1000, ok: result.exitStatus === 0 };
}

function framesPerSecond(medium: Medium, nodeCount: number, frames: number): number {
  const payload = new Uint8Array(1000);
  const started = performance.now();
  let handedAtNs = 0;
  let delivered = 0;
  for (let seq = 0; seq < frames; seq++) {
    const source = seq % nodeCount;
    const destination = (seq * 7 + 1) % nodeCount;
    const bytes = buildFrame(
      macForNode(destination === source ? (source + 1) % nodeCount : destination),
      macForNode(source),
      0x88b5,
      payload,
    );
    medium.submit({ sourceNode: source, seq, handedAtNs, bytes });
    handedAtNs += 10_000;
    if (seq % 64 === 63) {
      for (const event of medium.eventsBefore(handedAtNs)) {
        if (event.kind === FrameEventKind.Receive) delivered++;
      }
    }
  }
  for (const event of medium.eventsBefore(Number.MAX_SAFE_INTEGER)) {
    if (event.kind === FrameEventKind.Receive) delivered++;
  }
  const seconds = (performance.now() - started) / 1000;
  return delivered / seconds;
}

/** Mean host µs of one quantum exchange (begin + collect) with a worker whose nodes do nothing. */
async function barrierMicros(quanta: number): Promise<number> {
  const group = await WorkerNodeGroup.start(
    [0, 1],
    runtimeModuleUrl(import.meta.url, "./null-node-software.ts", "null-node-software").href,
    (node) => ({ node, nodeCount: 2, seed: 0, options: null }),
    () => ({ clockHz: 100e6, memoryBytes: 4096 * 16 }),
    spinChecksFor(2, availableParallelism()),
  );
  try {
    const started = performance.now();
    for (let quantum = 1; quantum <= quanta; quantum++) {
      group.begin([], quantum * 1000, false);
      group.collect();
    }
    const micros = ((performance.now() - started) * 1000) / quanta;
    await group.finish("exited");
    return micros;
  } finally {
    await group.close();
  }
}

export async function runClusterBench(options: ClusterBenchOptions): Promise<void> {
  const print = (record: Record<string, unknown>, text: string) =>
    console.log(options.json ? JSON.stringify(record) : text);
  const barrier = await barrierMicros(20_000);
  print(
    { bench: "barrier", quanta: 20_000, barrier_us: barrier },
    `barrier: one quantum exchange with a worker thread costs ${barrier.toFixed(1)} µs of host time`,
  );
  const busySeconds = options.busySeconds ?? 6;
  const busyRuns = options.busyRuns ?? 3;
  const steadyFrom = Math.min(warmUpSeconds, busySeconds - 1);
  const ones: BusyTiming[] = [];
  const twos: BusyTiming[] = [];
  for (let run = 1; run <= busyRuns; run++) {
    ones.push(await timeBusy(1, 16, busySeconds));
    twos.push(await timeBusy(2, 16, busySeconds));
    if (!options.json) {
      console.log(
        `workers: run ${run} of ${busyRuns}: W=1 ${ones.at(-1)!.totalSeconds.toFixed(2)} s, W=2 ${twos.at(-1)!.totalSeconds.toFixed(2)} s`,
      );
    }
  }
  const w1Runs = ones.map((timing) => timing.totalSeconds);
  const w2Runs = twos.map((timing) => timing.totalSeconds);
  const w1 = median(w1Runs);
  const w2 = median(w2Runs);
  const w1Steady = median(ones.map((timing) => secondsAfter(timing, steadyFrom)));
  const w2Steady = median(twos.map((timing) => secondsAfter(timing, steadyFrom)));
  print(
    {
      bench: "workers",
      nodes: 16,
      virtual_s: busySeconds,
      runs: busyRuns,
      w1_s: w1,
      w2_s: w2,
      speedup: w1 / w2,
      w1_runs_s: w1Runs,
      w2_runs_s: w2Runs,
      steady_from_virtual_s: steadyFrom,
      w1_steady_s: w1Steady,
      w2_steady_s: w2Steady,
      steady_speedup: w1Steady / w2Steady,
    },
    `workers: 16 busy nodes, ${busySeconds} s virtual on switched:1000, median of ${busyRuns} runs: W=1 ${w1.toFixed(2)} s, W=2 ${w2.toFixed(2)} s, speedup ${(w1 / w2).toFixed(2)}x (target >= 1.8x); after virtual second ${steadyFrom} (start-up and JIT warm-up done): W=1 ${w1Steady.toFixed(2)} s, W=2 ${w2Steady.toFixed(2)} s, speedup ${(w1Steady / w2Steady).toFixed(2)}x`,
  );
  let largest = 0;
  for (const nodes of options.sizes ?? [16, 64, 128, 256]) {
    const { seconds, ok } = await timePing(nodes);
    print(
      { bench: "largest", nodes, wall_s: seconds, ok },
      `largest: ${nodes} nodes boot and ping node ${nodes - 1} in ${seconds.toFixed(2)} s${ok ? "" : " (FAILED)"}`,
    );
    if (!ok || seconds > 60) break;
    largest = nodes;
  }
  print(
    { bench: "largest", largest_nodes: largest },
    `largest: ${largest} nodes within a minute (target 256)`,
  );
  for (const spec of ["token-ring:80", "ethernet", "switched:100", "switched:1000"]) {
    const rate = framesPerSecond(createMedium(spec, { nodeCount: 16, seed: 1 }), 16, 20_000);
    print(
      { bench: "fabric", fabric: spec, frames_per_s: rate },
      `fabric: ${spec}: ${Math.round(rate)} frames/s`,
    );
  }
}

// No top-level await: this file is also in the CommonJS CLI bundle (tools/build/cli-bundle.ts).
if (import.meta.url === `file://${process.argv[1]}`) {
  void runClusterBench({ json: process.argv.includes("--json") });
}
