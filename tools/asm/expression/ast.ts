// The syntax tree of a NASM expression. Parsed once per source line and evaluated again in
// every assembler pass, because symbol values change between passes. Strings used as numbers
// are already character constants here; registers appear only inside memory operands.

/** `ilog2e`...: NASM's integer functions (`__?ilog2e?__`, %use ifunc), unary operators too. */
export type UnaryOperator = "-" | "+" | "~" | "!" | "ilog2e" | "ilog2w" | "ilog2f" | "ilog2c";

export type BinaryOperator =
  | "||"
  | "^^"
  | "&&"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "<=>"
  | "|"
  | "^"
  | "&"
  | "<<"
  | ">>"
  | "<<<"
  | ">>>"
  | "+"
  | "-"
  | "*"
  | "/"
  | "//"
  | "%"
  | "%%";

export type Expr =
  | { readonly kind: "number"; readonly value: bigint; readonly col: number }
  /** A float literal: only a data directive (dd 1.5) can use one; kept as written. */
  | { readonly kind: "float"; readonly text: string; readonly col: number }
  /** A label or equ name, local labels already qualified (`.loop` -> `main.loop`). */
  | { readonly kind: "symbol"; readonly name: string; readonly col: number }
  | { readonly kind: "register"; readonly name: string; readonly col: number }
  | { readonly kind: "here"; readonly col: number }
  | { readonly kind: "base"; readonly col: number }
  | {
      readonly kind: "unary";
      readonly op: UnaryOperator;
      readonly operand: Expr;
      readonly col: number;
    }
  | {
      readonly kind: "binary";
      readonly op: BinaryOperator;
      readonly left: Expr;
      readonly right: Expr;
      readonly col: number;
    }
  | {
      readonly kind: "conditional";
      readonly test: Expr;
      readonly whenTrue: Expr;
      readonly whenFalse: Expr;
      readonly col: number;
    };
