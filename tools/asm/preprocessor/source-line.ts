// The unit the preprocessor reads and writes: one line's tokens with where it came from.
// A RawLine is read from a file or replayed from a macro or %rep body; a LogicalLine is what
// the preprocessor hands to the parser after directives, conditionals and macros are done.

import type { SourceLocation } from "../diagnostics.ts";
import type { LexError, Token } from "../lexer.ts";

export interface RawLine {
  readonly tokens: readonly Token[];
  readonly location: SourceLocation;
  /** The line as written, for listings. */
  readonly text: string;
  readonly lexError?: LexError;
}

export interface LogicalLine {
  readonly tokens: readonly Token[];
  readonly location: SourceLocation;
  readonly text: string;
  /** Position in the preprocessed output; diagnostics sort by it. */
  readonly order: number;
}
