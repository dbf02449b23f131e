// The coordinator's side of a worker thread (node-worker.ts): a NodeGroup whose quanta run in
// the worker. `begin` writes the inbound batch and bumps the generation word; `collect` waits
// for the completion word (spin-budget.ts: checks, then Atomics.wait) and reads the outbound
// batch. comlink carries boot and finish.

import { Worker } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import type { FrameEvent } from "../fabric/medium.ts";
import {
  Command,
  Control,
  createExchangeBuffers,
  type ExchangeBuffers,
} from "./exchange-buffers.ts";
import { runtimeModuleUrl } from "./module-location.ts";
import type { NodeGroup } from "./node-group.ts";
import type { FinalOutput, NodeMachineConfig, QuantumOutput } from "./node-host.ts";
import type { NodeBootConfig } from "./node-software.ts";
import type { NodeWorkerApi } from "./node-worker.ts";
import { InboundWriter, OutboundReader } from "./quantum-codec.ts";
import { ExchangeWaiter } from "./spin-budget.ts";

const decoder = new TextDecoder();

/**
 * Worker threads started ahead of their cluster (prestartWorkerThreads), taken by `start` in
 * order; unreferenced until taken, so an unused one never keeps the process alive.
 */
const prestarted: Worker[] = [];

function newWorkerThread(): Worker {
  return new Worker(runtimeModuleUrl(import.meta.url, "./node-worker-entry.mjs", "node-worker"));
}

/**
 * Starts `count` worker threads now, so that starting a thread and loading its code (about
 * 100 ms each on a 2-core host) overlap the caller's own work (reading and assembling the
 * programs) instead of delaying the first quantum.
 */
export function prestartWorkerThreads(count: number): void {
  while (prestarted.length < count) {
    const worker = newWorkerThread();
    worker.unref();
    prestarted.push(worker);
  }
}
/** A quantum is microseconds to milliseconds of host time: minutes of silence is a dead worker. */
const workerSilenceMsMax = 300_000;

export class WorkerNodeGroup implements NodeGroup {
  private readonly control: Int32Array;
  private readonly inbound: InboundWriter;
  private readonly outboundBytes: Uint8Array;
  private readonly outbound: OutboundReader;
  private generation = 0;
  private running: Promise<void> | undefined;
  private readonly waiter: ExchangeWaiter;

  private constructor(
    readonly nodes: readonly number[],
    private readonly worker: Worker,
    private readonly api: Comlink.Remote<NodeWorkerApi>,
    buffers: ExchangeBuffers,
    spinChecks: number,
  ) {
    this.control = new Int32Array(buffers.control);
    this.waiter = new ExchangeWaiter(this.control, spinChecks);
    this.inbound = new InboundWriter(new Uint8Array(buffers.inbound));
    this.outboundBytes = new Uint8Array(buffers.outbound);
    this.outbound = new OutboundReader(this.outboundBytes);
  }

  static async start(
    nodes: number[],
    softwareModuleUrl: string,
    bootConfig: (node: number) => NodeBootConfig,
    machineConfig: (node: number) => NodeMachineConfig,
    spinChecks: number,
  ): Promise<WorkerNodeGroup> {
    const waiting = prestarted.shift();
    waiting?.ref();
    const worker = waiting ?? newWorkerThread();
    const api = Comlink.wrap<NodeWorkerApi>(nodeEndpoint(worker));
    const buffers = createExchangeBuffers();
    await api.boot({
      nodes,
      softwareModuleUrl,
      bootConfigs: nodes.map(bootConfig),
      machineConfigs: nodes.map(machineConfig),
      buffers,
      spinChecks,
    });
    const group = new WorkerNodeGroup(nodes, worker, api, buffers, spinChecks);
    group.running = group.api.runQuanta();
    return group;
  }

  begin(events: FrameEvent[], untilNs: number, withProgress: boolean): void {
    this.inbound.write(untilNs, withProgress, events);
    this.command(Command.Step);
  }

  collect(): QuantumOutput {
    this.awaitDone();
    const length = Atomics.load(this.control, Control.OutboundBytes);
    if (Atomics.load(this.control, Control.Failed) === 1) {
      throw new Error(
        `worker for nodes ${this.nodes[0]}..: ${decoder.decode(this.outboundBytes.slice(0, length))}`,
      );
    }
    return this.outbound.read();
  }

  async finish(outcome: string): Promise<FinalOutput> {
    this.command(Command.Stop);
    this.awaitDone();
    await this.running;
    return this.api.finish(outcome);
  }

  async close(): Promise<void> {
    this.api[Comlink.releaseProxy]();
    await this.worker.terminate();
  }

  private command(command: Command): void {
    this.generation++;
    Atomics.store(this.control, Control.Command, command);
    Atomics.store(this.control, Control.Generation, this.generation);
    Atomics.notify(this.control, Control.Generation);
  }

  /** Blocks until the worker finished the last command; a silent worker is an error. */
  private awaitDone(): void {
    // The worker writes Done = generation, so Done holds generation - 1 until then.
    if (!this.waiter.waitWhileEquals(Control.Done, this.generation - 1, workerSilenceMsMax)) {
      throw new Error(
        `the worker for nodes ${this.nodes[0]}..${this.nodes.at(-1)} has not answered for ${workerSilenceMsMax / 1000} s`,
      );
    }
  }
}
