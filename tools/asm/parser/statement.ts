// What one logical line says, parsed once and evaluated in every pass: an optional label, an
// optional `times` count, and a body (instruction, data, reservation, equ or directive).
// Expressions stay as trees because their values change from pass to pass. NASM's structure
// macros (struc/endstruc, istruc/at/iend) arrive here already turned into these statements.

import type { Expr } from "../expression/ast.ts";
import type { OperandSize } from "../instruction.ts";
import type { LogicalLine } from "../preprocessor/source-line.ts";
import type { DataUnitBytes } from "./keywords.ts";

export type OperandSyntax =
  | { readonly kind: "reg"; readonly name: string; readonly col: number }
  | {
      readonly kind: "imm";
      readonly expr: Expr;
      readonly col: number;
      readonly size?: OperandSize;
      readonly strict: boolean;
      readonly distance?: "short" | "near";
    }
  | {
      readonly kind: "mem";
      readonly expr: Expr;
      readonly col: number;
      readonly size?: OperandSize;
      readonly dispSize?: 8 | 16 | 32;
      readonly segment?: string;
    };

export type DataItem =
  | { readonly kind: "string"; readonly bytes: Uint8Array; readonly col: number }
  /** A float token as written (`1.5`, `0x1p3`, `123p`, `__?Infinity?__`), encoded per unit size. */
  | {
      readonly kind: "float";
      readonly text: string;
      readonly negative: boolean;
      readonly col: number;
    }
  /** `N dup (...)`, `%(...)` or a size before items: the items, `times` over, in `unitBytes`. */
  | {
      readonly kind: "group";
      readonly times?: Expr;
      readonly unitBytes?: number;
      readonly items: readonly DataItem[];
      readonly col: number;
    }
  | { readonly kind: "expr"; readonly expr: Expr; readonly col: number }
  /** `?`: space without a value (zeros in a progbits section). */
  | { readonly kind: "uninitialized"; readonly col: number };

export interface SectionAttributes {
  readonly nobits?: boolean;
  readonly alignBytes?: number;
  readonly exec?: boolean;
  readonly write?: boolean;
}

export type StatementBody =
  | {
      readonly kind: "instruction";
      readonly mnemonic: string;
      readonly col: number;
      readonly prefixes: readonly string[];
      readonly operands: readonly OperandSyntax[];
    }
  | {
      readonly kind: "data";
      readonly unitBytes: DataUnitBytes;
      readonly items: readonly DataItem[];
      readonly col: number;
    }
  | {
      readonly kind: "reserve";
      readonly unitBytes: DataUnitBytes;
      readonly count: Expr;
      readonly col: number;
    }
  | { readonly kind: "equ"; readonly value: Expr; readonly col: number }
  | { readonly kind: "bits"; readonly bits: 16 | 32; readonly col: number }
  | { readonly kind: "org"; readonly value: Expr; readonly col: number }
  | {
      readonly kind: "section";
      readonly name: string;
      readonly attributes: SectionAttributes;
      readonly col: number;
    }
  | {
      /** `absolute N`: labels that follow are plain numbers from N on; only res* space. */
      readonly kind: "absolute";
      readonly value: Expr;
      readonly col: number;
    }
  | {
      /** `align N[, fill]` (fill repeated, default nop) or `alignb N` (reserved space). */
      readonly kind: "align";
      readonly boundary: Expr;
      readonly fill?: StatementBody;
      readonly reserve: boolean;
      /** `sectalign N`: only raises the section's alignment, no padding here. */
      readonly sectionOnly?: boolean;
      readonly col: number;
    };

export interface Statement {
  readonly line: LogicalLine;
  /** Fully qualified (`.loop` after `main:` is `main.loop`). */
  readonly label?: {
    readonly name: string;
    readonly col: number;
    /** Written as `.name`: qualified by the scope label, and does not start a scope. */
    readonly local: boolean;
  };
  readonly times?: Expr;
  readonly body?: StatementBody;
}

/** Everything the parser learns about a program, before any pass. */
export interface ParsedProgram {
  readonly statements: readonly Statement[];
  /** Names made visible by `global`, with where they were declared. */
  readonly globals: ReadonlyMap<string, { readonly line: LogicalLine; readonly col: number }>;
}
