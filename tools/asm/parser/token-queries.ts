// The questions both statement parsers (parse-program.ts, parse-operands.ts) ask of the
// lexer's tokens: is it this operator, which keyword does it spell, is it a float constant,
// where does a line end.

import { specialFloatValue } from "../float-constants.ts";
import type { Token } from "../lexer.ts";
import { isFloatLiteral } from "../numbers.ts";

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

/** A floating-point constant: a float number (`1.5`, `1e3`, `0x1p3`, `123p`) or `__?NaN?__`... */
export function isFloatToken(token: Token | undefined): boolean {
  if (token?.kind === "number") return isFloatLiteral(token.text);
  return token?.kind === "ident" && !token.escaped && specialFloatValue(token.text) !== undefined;
}
