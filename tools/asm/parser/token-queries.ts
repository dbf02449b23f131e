// The questions both statement parsers (parse-program.ts, parse-operands.ts) ask of the
// lexer's tokens: is it this operator, which keyword does it spell, where does a line end.

import type { Token } from "../lexer.ts";

export function isOp(token: Token | undefined, text: string): boolean {
  return token?.kind === "op" && token.text === text;
}

/** The lower-case word of an unescaped name (`$mov` is a label, never a keyword). */
export function keyword(token: Token | undefined): string | undefined {
  return token?.kind === "ident" && !token.escaped ? token.text.toLowerCase() : undefined;
}

/** The column just past the last token, for errors about what is missing at the end. */
export function endColumn(tokens: readonly Token[]): number {
  const last = tokens[tokens.length - 1];
  return last ? last.col + last.text.length : 1;
}
