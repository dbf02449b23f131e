// Forwarding links, the residual dependency of `--delivery redirect` (docs/migration.md,
// "Delivery methods"). Two views of them:
// - held here: a process that left this node by a redirect move leaves a link (its pid -> the
//   node it went to). Messages that still reach this node for it are passed on along the
//   node's location entry (kernel/net's routeElsewhere), and counted on the link. A link ends
//   when the home says the process has exited, when the process comes back here, or when the
//   bound is reached (the oldest goes, and its home is told: its messages then go by way of
//   the home, which knows).
// - known at the home: for each process born here that moved by redirect, the nodes that still
//   hold a link for it (the trace's `links` line lists them at every change), at most
//   linkHoldersKnownMax in all. The home learns every move (the source's LinkUpdate at the
//   freeze) and every eviction (LinkDropped), drops the links when the process exits (a
//   LinkUpdate "ended" to each holder), and reports a holder's failure for what it breaks: the
//   process can no longer be reached through that node, and a send that needed the link asks
//   the home instead, so nothing is lost. A holder past the bound is reported and not listed:
//   its failure is then not reported, and it keeps the link until its own bound evicts it.
// What it leaves out: a link is not itself a location authority; the location table routes.

import { locationVersionEnded } from "../net/location-table.ts";
import { formatPid, type Pid, pidHomeNode } from "../process/pid.ts";
import { linkUpdateEnded, MigrationMessageKind } from "./migration-messages.ts";
import type { MigrationService } from "./migration-service.ts";

/** Links held on one node at most; past it the oldest ends ("evicted"). */
export const linksHeldMax = 4096;
/** Link holders a home lists, over all its processes, at most; past it one is not listed. */
export const linkHoldersKnownMax = 4096;

export interface LinkBounds {
  heldMax: number;
  holdersKnownMax: number;
}

interface HeldLink {
  toNode: number;
  requestId: number;
  /** The location version of the move that left it (a LinkDropped names it). */
  version: number;
  forwarded: number;
  sinceNs: number;
}

/** At the home: a node holding a link, left by the move of version `version`. */
interface Holder {
  node: number;
  version: number;
}

export class ForwardingLinks {
  private readonly held = new Map<Pid, HeldLink>();
  /** At the home: the nodes holding a link for each of its processes, in the order they left. */
  private readonly holdersByPid = new Map<Pid, Holder[]>();
  private holderCount = 0;

  constructor(
    private readonly service: MigrationService,
    private readonly bounds: LinkBounds = {
      heldMax: linksHeldMax,
      holdersKnownMax: linkHoldersKnownMax,
    },
  ) {}

  /** A redirect move (version `version`) of `pid` from here committed: this node holds its link. */
  hold(pid: Pid, toNode: number, requestId: number, version: number): void {
    this.end(pid, "replaced");
    if (this.held.size >= this.bounds.heldMax) {
      const oldest = this.held.keys().next().value as Pid;
      const evicted = this.held.get(oldest)!;
      this.end(oldest, "evicted");
      this.tellHomeDropped(oldest, evicted.version);
    }
    this.held.set(pid, {
      toNode,
      requestId,
      version,
      forwarded: 0,
      sinceNs: this.service.kernel.nowNs(),
    });
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

  /**
   * A message for `pid` passed on from here: counted on its link, if this node holds one, and
   * in the node's figures at once (a link may outlive the run). Returns the request id of the
   * migration that left the link, so the `forward` record can name it; undefined with none.
   */
  countForward(pid: Pid): number | undefined {
    const link = this.held.get(pid);
    if (!link) return undefined;
    link.forwarded++;
    this.service.counters.messagesForwarded++;
    return link.requestId;
  }

  /** The link held here for `pid` ends (the process exited, came back, or was evicted). */
  end(pid: Pid, why: string): void {
    const link = this.held.get(pid);
    if (!link) return;
    this.held.delete(pid);
    const service = this.service;
    service.counters.linksEnded++;
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

  /**
   * At the home: `pid` now lives on `node`, told by `fromNode` (the node it left, or itself)
   * with a notice of version `version`; `fromNode` holds a link from then on.
   */
  noteMove(pid: Pid, fromNode: number, node: number, version: number): void {
    const before = this.holdersByPid.get(pid) ?? [];
    const holders = before.filter((holder) => holder.node !== node);
    const known = holders.find((holder) => holder.node === fromNode);
    if (known) known.version = Math.max(known.version, version);
    else if (fromNode !== node) {
      const listedAfter = this.holderCount - before.length + holders.length + 1;
      if (listedAfter > this.bounds.holdersKnownMax) {
        this.service.kernel.report(
          `node ${this.service.kernel.homeNode} lists ${this.bounds.holdersKnownMax} forwarding-link holders already: node ${fromNode}'s link for process ${formatPid(pid)} is not listed (its failure will not be reported, and it keeps the link until its own bound evicts it)`,
        );
      } else holders.push({ node: fromNode, version });
    }
    this.setHolders(pid, holders);
  }

  /** At the home: `node` evicted its link for `pid`, left by the move of version `version`. */
  onLinkDropped(pid: Pid, node: number, version: number): void {
    const holders = this.holdersByPid.get(pid);
    if (!holders) return;
    // A link left there by a later move (the process came back and left again) stays listed.
    this.setHolders(
      pid,
      holders.filter((holder) => holder.node !== node || holder.version > version),
    );
  }

  /** At the home: `pid` has ended; every node holding a link for it is told to drop it. */
  onProcessEnded(pid: Pid): void {
    const holders = this.holdersByPid.get(pid);
    if (!holders) return;
    const service = this.service;
    const own = service.kernel.homeNode;
    for (const { node } of holders) {
      if (node === own) this.end(pid, "process exited");
      else if (!service.network.transport.hasFailed(node)) {
        service.notifyLocation(node, pid, linkUpdateEnded, locationVersionEnded);
      }
    }
    this.setHolders(pid, []);
  }

  /** At the home: nodes holding links for its processes (watched when crashes may happen). */
  holderNodes(): Set<number> {
    const nodes = new Set<number>();
    for (const holders of this.holdersByPid.values())
      for (const { node } of holders) nodes.add(node);
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
      if (!holders.some((holder) => holder.node === node)) continue;
      const at = this.service.network.nodeOf(pid);
      kernel.traceEvent("link-lost", { pid: formatPid(pid), at: node, now: at });
      kernel.report(
        `node ${node} failed holding the forwarding link of process ${formatPid(pid)} (now on node ${at}): it can no longer be reached through node ${node}; sends that went that way ask its home, node ${kernel.homeNode}`,
      );
      this.setHolders(
        pid,
        holders.filter((holder) => holder.node !== node),
      );
    }
  }

  /** The eviction of this node's link for `pid` (version `version`) goes to its home. */
  private tellHomeDropped(pid: Pid, version: number): void {
    const home = pidHomeNode(pid);
    if (home === this.service.kernel.homeNode) {
      this.onLinkDropped(pid, home, version);
      return;
    }
    if (this.service.network.transport.hasFailed(home)) return;
    this.service.send(home, { kind: MigrationMessageKind.LinkDropped, pid, version });
  }

  private setHolders(pid: Pid, holders: Holder[]): void {
    const before = this.holdersByPid.get(pid) ?? [];
    this.holderCount += holders.length - before.length;
    if (holders.length === 0) this.holdersByPid.delete(pid);
    else this.holdersByPid.set(pid, holders);
    const nodes = holders.map((holder) => holder.node).join(",");
    if (before.map((holder) => holder.node).join(",") === nodes) return;
    this.service.kernel.traceEvent("links", { pid: formatPid(pid), nodes });
  }
}
