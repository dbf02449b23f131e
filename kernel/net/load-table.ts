// The loads a node has heard from other kernels, each with the virtual time it was heard, so
// `loads` (1012) can report its age and placement can prefer fresh figures. Bounded by the
// node count: one entry per node, the newest figure replaces the older.

export interface HeardLoad {
  node: number;
  loadPermille: number;
  runQueueLength: number;
  processCount: number;
  heardAtNs: number;
}

export class LoadTable {
  private readonly byNode = new Map<number, HeardLoad>();

  record(load: HeardLoad): void {
    this.byNode.set(load.node, load);
  }

  /** Every figure heard, by node number. */
  entries(): HeardLoad[] {
    return [...this.byNode.values()].sort((a, b) => a.node - b.node);
  }
}
