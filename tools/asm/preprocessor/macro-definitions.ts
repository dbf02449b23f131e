// Removing macro definitions from the two tables both macro kinds keep: case-sensitive ones
// under their name, case-insensitive ones (%idefine, %imacro) under its lower case. A name
// left with no definitions leaves its table.

type DefinitionTable<Macro> = Map<string, Macro[]>;

/** Removes the definitions of `name` that `matches` selects; true if there were any. */
export function removeDefinitions<Macro>(
  exact: DefinitionTable<Macro>,
  folded: DefinitionTable<Macro>,
  name: string,
  matches: (macro: Macro) => boolean,
): boolean {
  let removed = false;
  for (const [table, key] of [
    [exact, name],
    [folded, name.toLowerCase()],
  ] as const) {
    const list = table.get(key);
    if (!list) continue;
    const kept = list.filter((macro) => !matches(macro));
    removed ||= kept.length !== list.length;
    if (kept.length > 0) table.set(key, kept);
    else table.delete(key);
  }
  return removed;
}
