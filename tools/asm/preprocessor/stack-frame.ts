// NASM's %stacksize, %arg and %local: names for a procedure's arguments and local variables
// as single-line macros `(ebp+8)`, `(ebp-4)`, each size rounded up to the stack width. The
// offsets carry on from one %arg or %local to the next until the next %stacksize, as in
// NASM 2.16 (asm/preproc.c keeps them in globals).

import type { Token } from "../lexer.ts";
import { sizeBytesOf } from "../parser/keywords.ts";

interface StackModel {
  readonly widthBytes: number;
  readonly pointer: string;
  readonly argOffset: number;
}

const stackModels: ReadonlyMap<string, StackModel> = new Map([
  ["flat", { widthBytes: 4, pointer: "ebp", argOffset: 8 }],
  ["flat64", { widthBytes: 8, pointer: "rbp", argOffset: 16 }],
  ["large", { widthBytes: 2, pointer: "bp", argOffset: 4 }],
  ["small", { widthBytes: 2, pointer: "bp", argOffset: 6 }],
]);

const sizeBytes = sizeBytesOf(["byte", "word", "dword", "qword", "tword", "oword", "yword"]);

export interface StackVariable {
  readonly name: string;
  /** The macro body: `(ebp+8)`. */
  readonly body: Token[];
}

export type StackResult =
  | { readonly variables: StackVariable[]; readonly totalBytes: number }
  | { readonly error: string; readonly col: number };

export class StackFrame {
  private model: StackModel = stackModels.get("flat")!;
  private argOffset = 8;
  private localOffset = 0;

  /** `%stacksize flat|flat64|large|small`; an error message, or undefined. */
  setSize(args: readonly Token[], at: Token): { error: string; col: number } | undefined {
    const word = args[0];
    if (word?.kind !== "ident")
      return { error: "`%stacksize' missing size parameter", col: at.col };
    const model = stackModels.get(word.text.toLowerCase());
    if (!model) return { error: "`%stacksize' invalid size type", col: word.col };
    this.model = model;
    this.argOffset = model.argOffset;
    this.localOffset = 0;
    return undefined;
  }

  /**
   * `%arg a:dword, b:word` or `%local x:qword`. `expandSize` expands a size word through the
   * single-line macros first, as NASM does.
   */
  declare(
    kind: "arg" | "local",
    args: readonly Token[],
    at: Token,
    expandSize: (word: Token) => readonly Token[],
  ): StackResult {
    const directive = `%${kind}`;
    const variables: StackVariable[] = [];
    let offset = kind === "arg" ? this.argOffset : this.localOffset;
    let totalBytes = 0;
    let i = 0;
    for (;;) {
      const name = args[i];
      if (name?.kind !== "ident") {
        return { error: `\`${directive}' missing argument parameter`, col: name?.col ?? at.col };
      }
      const colon = args[i + 1];
      if (colon?.kind !== "op" || colon.text !== ":") {
        return { error: `syntax error processing \`${directive}' directive`, col: name.col };
      }
      const sizeWord = args[i + 2];
      if (sizeWord?.kind !== "ident") {
        return { error: `\`${directive}' missing size type parameter`, col: colon.col };
      }
      const expanded = expandSize(sizeWord);
      const size =
        expanded.length >= 1 ? sizeBytes.get(expanded[0]!.text.toLowerCase()) : undefined;
      if (size === undefined) {
        return {
          error: `invalid size type for \`${directive}' missing directive`,
          col: sizeWord.col,
        };
      }
      const width = this.model.widthBytes;
      const aligned = Math.ceil(size / width) * width;
      if (kind === "local") offset += aligned;
      variables.push({ name: name.text, body: this.body(kind === "arg" ? offset : -offset, at) });
      if (kind === "arg") offset += aligned;
      totalBytes += aligned;
      const next = args[i + 3];
      if (next === undefined) break;
      if (next.kind !== "op" || next.text !== ",") {
        return { error: `syntax error processing \`${directive}' directive`, col: next.col };
      }
      i += 4;
    }
    if (kind === "arg") this.argOffset = offset;
    else this.localOffset = offset;
    return { variables, totalBytes };
  }

  private body(offset: number, at: Token): Token[] {
    const token = (kind: Token["kind"], text: string): Token => ({
      kind,
      text,
      col: at.col,
      spaced: false,
    });
    return [
      { ...token("op", "("), spaced: true },
      token("ident", this.model.pointer),
      token("op", offset < 0 ? "-" : "+"),
      token("number", String(Math.abs(offset))),
      token("op", ")"),
    ];
  }
}
