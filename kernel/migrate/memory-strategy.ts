// The memory transfer strategies of DESIGN.md §5 (docs/migration.md, "Memory strategies"):
// direct copy (Charlotte: freeze, send every page, resume), pre-copy (V-System: copy while it
// runs, then rounds of the pages dirtied since, then freeze for the rest) and copy-on-reference
// (Accent: freeze, send the state and the page table only, fetch each page on its first use).
// The source node's choice decides; `sterna boot --strategy` sets it on every node.

export const memoryStrategies = ["direct", "precopy", "cor"] as const;
export type MemoryStrategy = (typeof memoryStrategies)[number];
export const memoryStrategyDefault: MemoryStrategy = "direct";

export function isMemoryStrategy(text: string): text is MemoryStrategy {
  return (memoryStrategies as readonly string[]).includes(text);
}
