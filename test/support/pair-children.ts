// The pids the pair fixtures' parent (0.1, on node 0) gives its children: child j is spawned on
// node (j + 1) mod N, and takes that node's next local id (node 0's next is 2, after the parent).
// The migration properties aim their orders and crashes at these pids before a run starts.

export interface PairShape {
  nodes: number;
  pairs: number;
}

export function childPids(shape: PairShape): { pid: string; node: number }[] {
  const nextLocal = new Map([[0, 2]]);
  return Array.from({ length: 2 * shape.pairs }, (_, child) => {
    const node = (child + 1) % shape.nodes;
    const local = nextLocal.get(node) ?? 1;
    nextLocal.set(node, local + 1);
    return { pid: `${node}.${local}`, node };
  });
}
