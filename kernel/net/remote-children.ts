// The children a node's processes have on other nodes: what `wait` needs to know of them
// without asking (alive, or ended with a status and an order of ending), kept by the parent's
// node from the spawn answer until the parent collects the status or ends itself. The child's
// node tells of the end with a ChildExit message; the transport keeps it after the answer.

import type { Pid } from "../process/pid.ts";

export interface RemoteChild {
  pid: Pid;
  parentPid: Pid;
  /** undefined while alive. */
  status: number | undefined;
  /** The parent node's order of ending, shared with local children (earliest collected first). */
  endedOrder: number;
  /**
   * Where the child lives as its migrations told this node (redirect and recover, which route
   * no send by it), and that notice's version; undefined: as the location table says.
   */
  watchNode: number | undefined;
  watchVersion: number;
}

export class RemoteChildren {
  private readonly byPid = new Map<Pid, RemoteChild>();

  add(pid: Pid, parentPid: Pid): void {
    this.byPid.set(pid, {
      pid,
      parentPid,
      status: undefined,
      endedOrder: 0,
      watchNode: undefined,
      watchVersion: -1,
    });
  }

  /**
   * A move of `pid` told this node it lives on `node` (a notice of version `version`; an older
   * one than the last changes nothing). False when `pid` is no live remote child here.
   */
  follow(pid: Pid, node: number, version: number): boolean {
    const child = this.aliveChild(pid);
    if (!child) return false;
    if (version >= child.watchVersion) {
      child.watchNode = node;
      child.watchVersion = version;
    }
    return true;
  }

  /** The child's end; false when no live parent here knows the child. */
  markEnded(pid: Pid, parentPid: Pid, status: number, endedOrder: number): boolean {
    const child = this.byPid.get(pid);
    if (!child || child.parentPid !== parentPid || child.status !== undefined) return false;
    child.status = status;
    child.endedOrder = endedOrder;
    return true;
  }

  childrenOf(parentPid: Pid): RemoteChild[] {
    const children: RemoteChild[] = [];
    for (const child of this.byPid.values())
      if (child.parentPid === parentPid) children.push(child);
    return children;
  }

  /** The child `pid`, unless it is not one or is known to have ended. */
  aliveChild(pid: Pid): RemoteChild | undefined {
    const child = this.byPid.get(pid);
    return child?.status === undefined ? child : undefined;
  }

  /** The children not known to have ended, in the order they were added. */
  alive(): RemoteChild[] {
    const alive: RemoteChild[] = [];
    for (const child of this.byPid.values()) if (child.status === undefined) alive.push(child);
    return alive;
  }

  remove(pid: Pid): void {
    this.byPid.delete(pid);
  }

  /** A parent ended: its remote children are the kernel's now, and nobody waits for them. */
  forgetParent(parentPid: Pid): void {
    for (const child of this.childrenOf(parentPid)) this.byPid.delete(child.pid);
  }
}
