// Labels and equ constants with their values, kept from pass to pass. A reference to a symbol
// not yet defined in the current pass is a forward reference: it gets the previous pass's value
// (or "unknown" in the first pass) and is remembered, so the pass driver can tell whether the
// pass used final values (then it is the last pass) or must run again.

import type { SourceLocation } from "../diagnostics.ts";
import type { SymbolLookup } from "../expression/evaluate.ts";

export interface SymbolDefinition {
  readonly kind: "label" | "equ";
  /** Section index for labels, -1 for equ constants. */
  readonly section: number;
  readonly value: bigint;
  readonly known: boolean;
  /** Sections the value is relative to (a label: its own), null for a plain number. */
  readonly relocations: ReadonlyMap<number, bigint> | null;
  /** The pass that last defined it. */
  readonly pass: number;
  readonly location: SourceLocation;
  readonly col: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface ForwardReference {
  readonly name: string;
  readonly known: boolean;
  readonly value: bigint;
}

export interface UnresolvedReference {
  readonly name: string;
  readonly location: SourceLocation;
  readonly col: number;
  readonly order: number;
}

export class SymbolTable {
  private readonly symbols = new Map<string, SymbolDefinition>();
  private pass = 0;
  private forwardReferences: ForwardReference[] = [];
  private unresolved: UnresolvedReference[] = [];

  beginPass(pass: number): void {
    this.pass = pass;
    this.forwardReferences = [];
    this.unresolved = [];
  }

  define(name: string, definition: Omit<SymbolDefinition, "pass">): void {
    const existing = this.symbols.get(name) as Mutable<SymbolDefinition> | undefined;
    if (existing === undefined) {
      this.symbols.set(name, { ...definition, pass: this.pass });
      return;
    }
    // Redefined every pass: update in place rather than allocate.
    existing.kind = definition.kind;
    existing.section = definition.section;
    existing.value = definition.value;
    existing.known = definition.known;
    existing.relocations = definition.relocations;
    existing.pass = this.pass;
    existing.location = definition.location;
    existing.col = definition.col;
  }

  get(name: string): SymbolDefinition | undefined {
    return this.symbols.get(name);
  }

  /** Looks a symbol up from an expression at `location`/`col`. */
  lookup(name: string, location: SourceLocation, col: number, order: number): SymbolLookup {
    const symbol = this.symbols.get(name);
    if (symbol === undefined || symbol.pass < this.pass) {
      this.forwardReferences.push({
        name,
        known: symbol?.known ?? false,
        value: symbol?.value ?? 0n,
      });
    }
    if (symbol === undefined || !symbol.known) {
      this.unresolved.push({ name, location, col, order });
      return { known: false, value: 0n };
    }
    return { known: true, value: symbol.value, relocations: symbol.relocations };
  }

  /** True when every forward reference of this pass saw the value the symbol now has. */
  forwardReferencesSettled(): boolean {
    return this.forwardReferences.every((reference) => {
      const symbol = this.symbols.get(reference.name);
      if (symbol === undefined || symbol.pass < this.pass) return !reference.known;
      return symbol.known === reference.known && symbol.value === reference.value;
    });
  }

  /** References that are still unknown at the end of the pass (errors if this pass is final). */
  unresolvedReferences(): UnresolvedReference[] {
    return this.unresolved.filter((reference) => {
      const symbol = this.symbols.get(reference.name);
      return symbol === undefined || symbol.pass < this.pass || !symbol.known;
    });
  }

  /** A symbol named in the first unsettled forward reference, for the phase error. */
  firstUnsettledName(): string | undefined {
    return this.forwardReferences.find((reference) => {
      const symbol = this.symbols.get(reference.name);
      return (
        symbol !== undefined &&
        (symbol.known !== reference.known || symbol.value !== reference.value)
      );
    })?.name;
  }

  entries(): IterableIterator<[string, SymbolDefinition]> {
    return this.symbols.entries();
  }
}
