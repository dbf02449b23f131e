// Migration orders that do not come from a Starter: `--migrate TIME:TARGET:NODE` (node 0 holds
// the script and starts each order at its virtual time) and orders passed on between kernels.
// A TARGET is a pid ("0.3") or a program's base name, with or without its extension ("relay"
// names a process run from relay.asm), meaning the lowest live pid of that name in the
// cluster: node 0 asks every kernel for its lowest and takes the lowest answer once every
// kernel has answered or is known to have failed. An order travels (MigrateOrder) to the node
// holding the process, which starts the same protocol a Starter's MigrateOut does; one for a
// process already migrating waits until that ends. A target that does not exist, has ended,
// is already on the node or is a node's Starter is reported and counted as cancelled; it
// never stops the run.

import { formatPid, isPid, type Pid, parsePid } from "../process/pid.ts";
import { MigrationMessageKind } from "./migration-messages.ts";
import type { MigrationService } from "./migration-service.ts";

/** One --migrate, as the kernel is booted with it. */
export interface ScriptedMigration {
  atNs: number;
  /** "NODE.LOCAL", or a program's base name. */
  target: string;
  toNode: number;
}

/** How far an order may chase a process from node to node. */
export const orderHopsMax = 8;
/**
 * How long node 0 waits at most for the kernels' answers to a name query. A kernel answers
 * as soon as the query reaches it, but a busy medium can hold the query for as long as a
 * transfer holds it (a 256 KiB migration holds a 10 Mbit/s Ethernet for about 230 ms), and a
 * failed node is given up when the transport says so; this only bounds the wait.
 */
export const nameQueryWaitNs = 60_000_000_000;

interface NameQueryWait {
  queryId: number;
  name: string;
  toNode: number;
  deadlineNs: number;
  /** The nodes asked that have neither answered nor failed. */
  pending: Set<number>;
  lowestPid: Pid;
}

/** Whether a process named `processName` is what the target `name` names. */
function namedBy(processName: string, name: string): boolean {
  if (processName === name) return true;
  const dot = processName.lastIndexOf(".");
  return dot > 0 && processName.slice(0, dot) === name;
}

export function isPidTarget(target: string): boolean {
  return /^\d+\.\d+$/.test(target);
}

export class ScriptedOrders {
  /** Not yet started, in order of time (then command-line order). */
  private readonly script: ScriptedMigration[];
  private readonly queries = new Map<number, NameQueryWait>();
  private nextId = 1;

  constructor(
    private readonly service: MigrationService,
    script: readonly ScriptedMigration[],
  ) {
    this.script = [...script].sort((a, b) => a.atNs - b.atNs);
  }

  get pendingQueries(): number {
    return this.queries.size;
  }

  nextTimerNs(): number {
    let earliest = this.script[0]?.atNs ?? Number.POSITIVE_INFINITY;
    for (const query of this.queries.values()) earliest = Math.min(earliest, query.deadlineNs);
    return earliest;
  }

  fireTimers(nowNs: number): void {
    while (this.script.length > 0 && this.script[0]!.atNs <= nowNs) {
      this.begin(this.script.shift()!);
    }
    for (const query of [...this.queries.values()]) {
      if (query.deadlineNs <= nowNs) this.settle(query);
    }
  }

  /** Orders `pid` to `toNode`: here if it lives here, else passed on towards it. */
  order(pid: Pid, toNode: number, hops: number): void {
    const service = this.service;
    const kernel = service.kernel;
    if (service.source.isMigrating(pid)) {
      service.source.queueOrder(pid, toNode);
      return;
    }
    const process = kernel.processes.live(pid);
    if (process) {
      if (pid === kernel.starterPid) {
        service.badTarget(formatPid(pid), `it is node ${kernel.homeNode}'s Starter`);
      } else if (toNode === kernel.homeNode) {
        service.badTarget(formatPid(pid), `already on node ${toNode}`);
      } else {
        service.source.start(process, toNode);
      }
      return;
    }
    const next = service.network.nodeOf(pid);
    if (next === kernel.homeNode || next >= kernel.nodeCount || hops >= orderHopsMax) {
      service.badTarget(formatPid(pid), "no such live process");
      return;
    }
    service.send(next, {
      kind: MigrationMessageKind.MigrateOrder,
      orderId: this.takeId(),
      pid,
      toNode,
      hops: hops + 1,
    });
  }

  /** This node's lowest live pid named `name` (processes on their way out included), or 0. */
  lowestPidNamed(name: string): Pid {
    let lowest = 0;
    const consider = (pid: Pid, processName: string) => {
      if (namedBy(processName, name) && (lowest === 0 || pid < lowest)) lowest = pid;
    };
    for (const process of this.service.kernel.processes.all()) {
      if (process.isAlive) consider(process.pid, process.name);
    }
    for (const process of this.service.source.detached()) consider(process.pid, process.name);
    return lowest;
  }

  onNameAnswer(fromNode: number, queryId: number, pid: Pid): void {
    const query = this.queries.get(queryId);
    if (!query?.pending.delete(fromNode)) return;
    if (isPid(pid) && (query.lowestPid === 0 || pid < query.lowestPid)) query.lowestPid = pid;
    if (query.pending.size === 0) this.settle(query);
  }

  /**
   * The --migrate orders by name still waiting for the answers to their query (the run ended
   * first): the name, the destination, and the nodes that have not answered.
   */
  *unsettled(): IterableIterator<{ name: string; toNode: number; pending: number[] }> {
    for (const query of this.queries.values()) {
      yield {
        name: query.name,
        toNode: query.toNode,
        pending: [...query.pending].sort((a, b) => a - b),
      };
    }
  }

  /** A node asked a name query failed: its answer will not come. */
  onPeerFailed(node: number): void {
    for (const query of [...this.queries.values()]) {
      if (query.pending.delete(node) && query.pending.size === 0) this.settle(query);
    }
  }

  private begin(order: ScriptedMigration): void {
    const service = this.service;
    const kernel = service.kernel;
    if (isPidTarget(order.target)) {
      let pid: Pid;
      try {
        pid = parsePid(order.target);
      } catch {
        service.badTarget(order.target, "not a pid");
        return;
      }
      this.order(pid, order.toNode, 0);
      return;
    }
    const query: NameQueryWait = {
      queryId: this.takeId(),
      name: order.target,
      toNode: order.toNode,
      deadlineNs: kernel.nowNs() + nameQueryWaitNs,
      pending: new Set(),
      lowestPid: this.lowestPidNamed(order.target),
    };
    for (let node = 0; node < kernel.nodeCount; node++) {
      if (node === kernel.homeNode || service.network.transport.hasFailed(node)) continue;
      service.send(node, {
        kind: MigrationMessageKind.NameQuery,
        queryId: query.queryId,
        name: order.target,
      });
      query.pending.add(node);
    }
    this.queries.set(query.queryId, query);
    if (query.pending.size === 0) this.settle(query);
  }

  private settle(query: NameQueryWait): void {
    this.queries.delete(query.queryId);
    if (query.lowestPid === 0) {
      this.service.badTarget(query.name, "no live process of that name");
      return;
    }
    this.order(query.lowestPid, query.toNode, 0);
  }

  private takeId(): number {
    const id = this.nextId;
    this.nextId = (this.nextId % 0xffff_fffe) + 1;
    return id;
  }
}
