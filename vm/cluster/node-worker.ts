// A worker thread of the cluster: hosts some nodes (node-host.ts) and runs their quanta when
// the coordinator says, through shared memory and Atomics (exchange-buffers.ts); comlink
// carries only the control calls (boot, run, finish). The node software is imported from the
// module URL the coordinator passes, so this file, like all of vm/, knows no kernel.

import { parentPort } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { Command, Control, type ExchangeBuffers } from "./exchange-buffers.ts";
import { importRuntimeModule } from "./module-location.ts";
import { type FinalOutput, NodeHost, type NodeMachineConfig } from "./node-host.ts";
import type { NodeBootConfig, NodeSoftwareModule } from "./node-software.ts";
import { InboundReader, OutboundWriter } from "./quantum-codec.ts";
import { ExchangeWaiter } from "./spin-budget.ts";

export interface WorkerBoot {
  nodes: number[];
  softwareModuleUrl: string;
  bootConfigs: NodeBootConfig[];
  machineConfigs: NodeMachineConfig[];
  buffers: ExchangeBuffers;
  /** Checks of the exchange word before sleeping on it (spin-budget.ts). */
  spinChecks: number;
}

const encoder = new TextEncoder();
let host: NodeHost | undefined;
let buffers: ExchangeBuffers | undefined;
let spinChecks = 0;
/** The generation of the last command this worker served (the coordinator counts from 0). */
let servedGeneration = 0;

const api = {
  async boot(boot: WorkerBoot): Promise<void> {
    const module = (await importRuntimeModule(boot.softwareModuleUrl)) as NodeSoftwareModule;
    const position = new Map(boot.nodes.map((node, index) => [node, index]));
    host = new NodeHost(
      boot.nodes,
      module.createNodeSoftware,
      (node) => boot.bootConfigs[position.get(node)!]!,
      (node) => boot.machineConfigs[position.get(node)!]!,
    );
    buffers = boot.buffers;
    spinChecks = boot.spinChecks;
  },

  /** Serves Step commands until a Stop; blocks this thread in between (that is its job). */
  runQuanta(): void {
    if (!host || !buffers) throw new Error("runQuanta before boot");
    const control = new Int32Array(buffers.control);
    const inbound = new InboundReader(new Uint8Array(buffers.inbound));
    const outbound = new Uint8Array(buffers.outbound);
    const outboundWriter = new OutboundWriter(outbound);
    const waiter = new ExchangeWaiter(control, spinChecks);
    for (;;) {
      // The coordinator may have posted the first command before this call began: compare
      // with the last generation served, never with what the word held on entry.
      waiter.waitWhileEquals(Control.Generation, servedGeneration, Number.POSITIVE_INFINITY);
      const seen = Atomics.load(control, Control.Generation);
      servedGeneration = seen;
      if (Atomics.load(control, Control.Command) === Command.Stop) {
        Atomics.store(control, Control.Done, seen);
        Atomics.notify(control, Control.Done);
        return;
      }
      try {
        inbound.read();
        const length = outboundWriter.write(
          host.step(inbound.events, inbound.untilNs, inbound.withProgress),
        );
        Atomics.store(control, Control.OutboundBytes, length);
        Atomics.store(control, Control.Failed, 0);
      } catch (error) {
        const text = encoder.encode(String((error as Error)?.stack ?? error)).subarray(0, 65536);
        outbound.set(text);
        Atomics.store(control, Control.OutboundBytes, text.length);
        Atomics.store(control, Control.Failed, 1);
      }
      Atomics.store(control, Control.Done, seen);
      Atomics.notify(control, Control.Done);
    }
  },

  finish(outcome: string): FinalOutput {
    if (!host) throw new Error("finish before boot");
    return host.finish(outcome);
  },
};

export type NodeWorkerApi = typeof api;

if (parentPort) Comlink.expose(api, nodeEndpoint(parentPort));
