// Where the preprocessor's next line comes from: a file (read line by line, joining lines that
// end in a backslash), a multi-line macro expansion (its body, with positions moved to the call
// site), or a %rep body replayed N times. The preprocessor keeps them on a stack.

import type { IncludeSite, SourceLocation } from "../diagnostics.ts";
import { type Token, tokenizeLine } from "../lexer.ts";
import type { MultiLineMacro } from "./multi-line-macros.ts";
import type { RawLine } from "./source-line.ts";

export class FileSource {
  readonly kind = "file";
  private readonly lines: string[];
  private index = 0;

  constructor(
    readonly file: string,
    text: string,
    readonly includedFrom: readonly IncludeSite[],
    /** Conditional nesting depth when the file was entered (to catch a missing %endif). */
    readonly conditionalDepth: number,
  ) {
    // A UTF-8 byte order mark is not part of the first line.
    this.lines = (text.startsWith("\uFEFF") ? text.slice(1) : text).split("\n");
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] === "") this.lines.pop();
  }

  next(): RawLine | undefined {
    if (this.index >= this.lines.length) return undefined;
    const lineNumber = this.index + 1;
    let text = stripCarriageReturn(this.lines[this.index++]!);
    // A backslash at the end of a line continues it on the next one.
    while (text.endsWith("\\") && this.index < this.lines.length) {
      text = text.slice(0, -1) + stripCarriageReturn(this.lines[this.index++]!);
    }
    const { tokens, error } = tokenizeLine(text);
    const location: SourceLocation = {
      file: this.file,
      line: lineNumber,
      includedFrom: this.includedFrom,
    };
    return { tokens, location, text, lexError: error };
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/** One invocation of a multi-line macro: its parameters and its place in the body. */
export class MacroExpansionSource {
  readonly kind = "macro";
  private index = 0;
  /** `%rotate` moves this; parameter n is params[(n - 1 + rotation) % count]. */
  rotation = 0;

  constructor(
    readonly macro: MultiLineMacro,
    readonly invokedAs: string,
    readonly params: readonly (readonly Token[])[],
    /** The label written before the call, for `%00`. */
    readonly label: readonly Token[],
    readonly localId: number,
    /** The call site; every line of the expansion reports it. */
    readonly callLocation: SourceLocation,
    /** Column of the macro name at the call site, given to the body's own tokens. */
    readonly callColumn: number,
    readonly conditionalDepth: number,
  ) {}

  next(): RawLine | undefined {
    const line = this.macro.body[this.index++];
    if (!line) return undefined;
    const tokens = line.tokens.map((token) =>
      token.col === this.callColumn ? token : { ...token, col: this.callColumn },
    );
    return { tokens, location: this.callLocation, text: line.text };
  }

  /** Stops the expansion (`%exitmacro`). */
  finish(): void {
    this.index = this.macro.body.length;
  }
}

/** A `%rep` body replayed `count` times. */
export class RepSource {
  readonly kind = "rep";
  private index = 0;
  private iteration = 0;

  constructor(
    readonly body: readonly RawLine[],
    readonly count: number,
    readonly conditionalDepth: number,
  ) {}

  next(): RawLine | undefined {
    if (this.index >= this.body.length) {
      this.index = 0;
      this.iteration++;
    }
    if (this.iteration >= this.count || this.body.length === 0) return undefined;
    return this.body[this.index++];
  }

  /** Stops the repetition (`%exitrep`). */
  finish(): void {
    this.iteration = this.count;
  }
}

export type LineSource = FileSource | MacroExpansionSource | RepSource;
