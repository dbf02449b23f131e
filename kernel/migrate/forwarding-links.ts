// Forwarding links, the residual dependency of `--delivery redirect` (docs/migration.md,
// "Delivery methods"). Two views of them:
// - held here: a process that left this node by a redirect move leaves a link (its pid -> the
//   node it went to). Messages that still reach this node for it are passed on along the
//   node's location entry (kernel/net's routeElsewhere), and counted on the link. A link ends
//   when the home says the process has exited, when the process comes back here, or when the
//   bound is reached (the oldest goes: its messages then go by way of the home, which knows).
// - known at the home: for each process born here that moved by redirect, the nodes that still
//   hold a link for it (the trace's `links` line lists them at every change). The home learns
//   every move (the source's LinkUpdate at the freeze), drops the links when the process
//   exits (a LinkUpdate "ended" to each holder), and reports a holder's failure for what it
//   breaks: the process can no longer be reached through that node, and a send that needed
//   the link asks the home instead, so nothing is lost.
// What it leaves out: a link is not itself a location authority; the location table routes.

import { locationVersionEnded } from "../net/location-table.ts";
import { formatPid, type Pid } from "../process/pid.ts";
import { linkUpdateEnded } from "./migration-messages.ts";
import type { MigrationService } from "./migration-service.ts";

/** Links held on one node at most; past it the oldest ends ("evicted"). */
const linksHeldMax = 4096;

interface HeldLink {
  toNode: number;
  requestId: number;
  forwarded: number;
  sinceNs: number;
}

export class ForwardingLinks {
  private readonly held = new Map<Pid, HeldLink>();
  /** At the home: the nodes holding a link for each of its processes, in the order they left. */
  private readonly holdersByPid = new Map<Pid, number[]>();

  constructor(private readonly service: MigrationService) {}

  /** A redirect move of `pid` from here committed: this node now holds its link. */
  hold(pid: Pid, toNode: number, requestId: number): void {
    this.end(pid, "replaced");
    if (this.held.size >= linksHeldMax) {
      const oldest = this.held.keys().next().value as Pid;
      this.end(oldest, "evicted");
    }
    this.held.set(pid, { toNode, requestId, forwarded: 0, sinceNs: this.service.kernel.nowNs() });
    this.service.counters.linksLeft++;
    this.service.kernel.traceEvent("migrate-residual", {
      pid: formatPid(pid),
      to: toNode,
      id: requestId,
      link: true,
    });
  }

  /** The links held here (pid and the node it went to), oldest first: what a crash here breaks. */
  heldLinks(): { pid: Pid; toNode: number }[] {
    return [...this.held].map(([pid, link]) => ({ pid, toNode: link.toNode }));
  }

  /** A message for `pid` passed on from here: counted on its link, if this node holds one. */
  countForward(pid: Pid): void {
    const link = this.held.get(pid);
    if (link) link.forwarded++;
  }

  /** The link held here for `pid` ends (the process exited, came back, or was evicted). */
  end(pid: Pid, why: string): void {
    const link = this.held.get(pid);
    if (!link) return;
    this.held.delete(pid);
    const service = this.service;
    service.counters.linksEnded++;
    service.counters.messagesForwarded += link.forwarded;
    service.kernel.traceEvent("migrate-residual-end", {
      pid: formatPid(pid),
      to: link.toNode,
      id: link.requestId,
      link: true,
      forwarded: link.forwarded,
      heldNs: service.kernel.nowNs() - link.sinceNs,
      why,
    });
  }

  /** At the home: `pid` now lives on `node`, told by `fromNode` (the node it left, or itself). */
  noteMove(pid: Pid, fromNode: number, node: number): void {
    const holders = (this.holdersByPid.get(pid) ?? []).filter((holder) => holder !== node);
    if (fromNode !== node && !holders.includes(fromNode)) holders.push(fromNode);
    this.setHolders(pid, holders);
  }

  /** At the home: `pid` has ended; every node holding a link for it is told to drop it. */
  onProcessEnded(pid: Pid): void {
    const holders = this.holdersByPid.get(pid);
    if (!holders) return;
    const service = this.service;
    const own = service.kernel.homeNode;
    for (const holder of holders) {
      if (holder === own) this.end(pid, "process exited");
      else if (!service.network.transport.hasFailed(holder)) {
        service.notifyLocation(holder, pid, linkUpdateEnded, locationVersionEnded);
      }
    }
    this.setHolders(pid, []);
  }

  /** At the home: nodes holding links for its processes (watched when crashes may happen). */
  holderNodes(): Set<number> {
    const nodes = new Set<number>();
    for (const holders of this.holdersByPid.values()) for (const node of holders) nodes.add(node);
    nodes.delete(this.service.kernel.homeNode);
    return nodes;
  }

  /**
   * `node` failed: the links it held are gone. At the home, each process that had one there is
   * reported: it can no longer be reached through that node; sends that needed the link come
   * to the home instead (kernel/net's retry), which knows where it is.
   */
  onPeerFailed(node: number): void {
    const kernel = this.service.kernel;
    for (const [pid, holders] of [...this.holdersByPid]) {
      if (!holders.includes(node)) continue;
      const at = this.service.network.nodeOf(pid);
      kernel.traceEvent("link-lost", { pid: formatPid(pid), at: node, now: at });
      kernel.report(
        `node ${node} failed holding the forwarding link of process ${formatPid(pid)} (now on node ${at}): it can no longer be reached through node ${node}; sends that went that way ask its home, node ${kernel.homeNode}`,
      );
      this.setHolders(
        pid,
        holders.filter((holder) => holder !== node),
      );
    }
  }

  private setHolders(pid: Pid, holders: number[]): void {
    const before = this.holdersByPid.get(pid) ?? [];
    if (holders.length === 0) this.holdersByPid.delete(pid);
    else this.holdersByPid.set(pid, holders);
    if (before.join(",") === holders.join(",")) return;
    this.service.kernel.traceEvent("links", {
      pid: formatPid(pid),
      nodes: holders.join(","),
    });
  }
}
