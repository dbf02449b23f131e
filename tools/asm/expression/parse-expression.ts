// Parses a NASM expression from a token list, with NASM's precedence (lowest first):
//   ?:   ||   ^^   &&   = == != <> < <= > >= <=>   |   ^   &   << >> <<< >>>   + -
//   * / // % %%   unary - + ~ !
// `=` and `<>` are spelled as `==` and `!=` in the tree. The parser stops at the first token
// that cannot continue the expression (a comma, `]`, a keyword such as `db` after `times 4`).
// NASM's `__?float32?__(1.5)` family gives a float's bit pattern as an integer, and its
// `__?ilog2e?__` family are unary operators. SEG, WRT and
// NASM's other built-in functions are not supported.

import {
  floatConstant,
  floatFormats,
  floatizeFunction,
  floatizeValue,
} from "../float-constants.ts";
import type { Token } from "../lexer.ts";
import { parseNumber } from "../numbers.ts";
import { isFloatToken } from "../parser/token-queries.ts";
import { type StringFunction, stringFunction, transformString } from "../string-functions.ts";
import { characterConstant, decodeString } from "../strings.ts";
import type { BinaryOperator, Expr, UnaryOperator } from "./ast.ts";

export interface ExpressionSyntax {
  /** True if `name` (already lower-cased) is a register. */
  isRegister(lowerName: string): boolean;
  /** The symbol a written name refers to (qualifies `.local` names). */
  qualify(name: string): string;
  /** Non-fatal remarks found while parsing (e.g. a character constant too long). */
  warn(col: number, message: string): void;
}

export interface ParsedExpression {
  readonly expr: Expr;
  /** Index of the first token after the expression. */
  readonly next: number;
}

export class ExpressionSyntaxError extends Error {
  constructor(
    readonly col: number,
    message: string,
  ) {
    super(message);
  }
}

const binaryLevels: readonly (readonly string[])[] = [
  ["||"],
  ["^^"],
  ["&&"],
  ["=", "==", "!=", "<>", "<", "<=", ">", ">=", "<=>"],
  ["|"],
  ["^"],
  ["&"],
  ["<<", ">>", "<<<", ">>>"],
  ["+", "-"],
  ["*", "/", "//", "%", "%%"],
];

const levelOfOperator = new Map<string, number>();
binaryLevels.forEach((ops, level) => {
  for (const op of ops) levelOfOperator.set(op, level);
});

/**
 * `__?utf16?__("text")` or `__?utf16?__ "text"` at `start`: the re-encoded bytes and the index
 * after the call (NASM's eval_strfunc and data parser).
 */
export function parseStringFunction(
  tokens: readonly Token[],
  start: number,
  encoding: StringFunction,
): { bytes: Uint8Array; next: number } {
  const name = tokens[start]!;
  let i = start + 1;
  const parens = tokens[i]?.kind === "op" && tokens[i]!.text === "(";
  if (parens) i++;
  const string = tokens[i];
  if (string?.kind !== "string") {
    throw new ExpressionSyntaxError(
      string?.col ?? name.col,
      `expecting string as argument to ${name.text}`,
    );
  }
  const bytes = transformString(decodeString(string.text), encoding);
  if (!bytes) throw new ExpressionSyntaxError(string.col, `invalid input string to ${name.text}`);
  i++;
  if (parens) {
    const close = tokens[i];
    if (close?.kind !== "op" || close.text !== ")") {
      throw new ExpressionSyntaxError(close?.col ?? string.col, "expecting `)'");
    }
    i++;
  }
  return { bytes, next: i };
}

/** `__?ilog2e?__` or `__ilog2e__` (any case) -> "ilog2e", and its siblings. */
function integerFunctionName(lowerName: string): UnaryOperator | undefined {
  const match = /^__(?:\?(ilog2[ewfc])\?|(ilog2[ewfc]))__$/.exec(lowerName);
  return (match?.[1] ?? match?.[2]) as UnaryOperator | undefined;
}

const canonicalOperator: Readonly<Record<string, BinaryOperator>> = { "=": "==", "<>": "!=" };

/**
 * Parentheses, unary operators and `?:` nested deeper than this are refused: the parser and
 * the evaluator recurse once per level, and the host stack must not run out. Chains of binary
 * operators (a 3000-term sum) do not nest and have no limit.
 */
export const expressionNestingMax = 256;

/** Words that end an expression even though they look like symbols. */
const stopWords = new Set(["wrt", "seg"]);

/**
 * Parses one expression starting at `start`. Throws ExpressionSyntaxError (with the column)
 * when the tokens do not form an expression.
 */
export function parseExpression(
  tokens: readonly Token[],
  start: number,
  syntax: ExpressionSyntax,
): ParsedExpression {
  const parser = new ExpressionParser(tokens, syntax);
  parser.pos = start;
  const expr = parser.conditional();
  return { expr, next: parser.pos };
}

class ExpressionParser {
  pos = 0;
  private nesting = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly syntax: ExpressionSyntax,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private endColumn(): number {
    const last = this.tokens[this.tokens.length - 1];
    return last ? last.col + last.text.length : 1;
  }

  conditional(): Expr {
    const test = this.binary(0);
    const token = this.peek();
    if (token?.kind !== "op" || token.text !== "?") return test;
    this.pos++;
    this.enter(token);
    const whenTrue = this.conditional();
    const colon = this.peek();
    if (colon?.kind !== "op" || colon.text !== ":") {
      throw new ExpressionSyntaxError(colon?.col ?? this.endColumn(), "`?' without matching `:'");
    }
    this.pos++;
    const whenFalse = this.conditional();
    this.nesting--;
    return { kind: "conditional", test, whenTrue, whenFalse, col: token.col };
  }

  /** One level deeper (a parenthesis, unary operator or `?'), refused past the limit. */
  private enter(token: Token): void {
    if (++this.nesting > expressionNestingMax) {
      throw new ExpressionSyntaxError(
        token.col,
        `expression nested more than ${expressionNestingMax} levels deep`,
      );
    }
  }

  private binary(level: number): Expr {
    if (level === binaryLevels.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const token = this.peek();
      if (token?.kind !== "op" || levelOfOperator.get(token.text) !== level) return left;
      this.pos++;
      const right = this.binary(level + 1);
      const op = canonicalOperator[token.text] ?? (token.text as BinaryOperator);
      left = { kind: "binary", op, left, right, col: token.col };
    }
  }

  private unary(): Expr {
    const token = this.peek();
    if (token === undefined) {
      throw new ExpressionSyntaxError(this.endColumn(), "expression expected");
    }
    if (token.kind === "op") {
      if (token.text === "-" || token.text === "+" || token.text === "~" || token.text === "!") {
        this.pos++;
        this.enter(token);
        const operand = this.unary();
        this.nesting--;
        return { kind: "unary", op: token.text, operand, col: token.col };
      }
      if (token.text === "(") {
        this.pos++;
        this.enter(token);
        const inner = this.conditional();
        const close = this.peek();
        if (close?.kind !== "op" || close.text !== ")") {
          throw new ExpressionSyntaxError(close?.col ?? this.endColumn(), "expecting `)'");
        }
        this.pos++;
        this.nesting--;
        return inner;
      }
    }
    return this.primary(token);
  }

  private primary(token: Token): Expr {
    const col = token.col;
    switch (token.kind) {
      case "number": {
        this.pos++;
        if (isFloatToken(token)) return { kind: "float", text: token.text, col };
        const literal = parseNumber(token.text);
        if (literal.kind !== "int") {
          throw new ExpressionSyntaxError(col, `invalid number \`${token.text}'`);
        }
        if (literal.overflow) {
          this.syntax.warn(col, `numeric constant ${token.text} does not fit in 64 bits`);
        }
        return { kind: "number", value: literal.value, col };
      }
      case "string": {
        this.pos++;
        const { value, tooLong } = characterConstant(decodeString(token.text));
        if (tooLong) this.syntax.warn(col, "character constant too long");
        return { kind: "number", value, col };
      }
      case "here":
        this.pos++;
        return { kind: "here", col };
      case "base":
        this.pos++;
        return { kind: "base", col };
      case "ident": {
        const lower = token.text.toLowerCase();
        if (!token.escaped && stopWords.has(lower)) {
          throw new ExpressionSyntaxError(col, `\`${lower}' is not supported`);
        }
        if (!token.escaped && isFloatToken(token)) {
          this.pos++;
          return { kind: "float", text: token.text, col };
        }
        const floatize = token.escaped ? undefined : floatizeFunction(lower);
        if (floatize) return this.floatize(token, floatize);
        const encoding = token.escaped ? undefined : stringFunction(lower);
        if (encoding) {
          const call = parseStringFunction(this.tokens, this.pos, encoding);
          this.pos = call.next;
          const { value, tooLong } = characterConstant(call.bytes);
          if (tooLong) this.syntax.warn(col, "character constant too long");
          return { kind: "number", value, col };
        }
        const integerFunction = token.escaped ? undefined : integerFunctionName(lower);
        if (integerFunction) {
          // NASM parses these like unary minus: `__?ilog2e?__ 8` needs no parentheses.
          this.pos++;
          this.enter(token);
          const operand = this.unary();
          this.nesting--;
          return { kind: "unary", op: integerFunction, operand, col };
        }
        this.pos++;
        if (!token.escaped && this.syntax.isRegister(lower)) {
          return { kind: "register", name: lower, col };
        }
        return { kind: "symbol", name: this.syntax.qualify(token.text), col };
      }
      default:
        throw new ExpressionSyntaxError(col, `expression expected, found \`${token.text}'`);
    }
  }

  /** `__?float32?__(-1.5)`: `(`, an optional sign, a float constant, `)` (NASM's eval_floatize). */
  private floatize(token: Token, name: keyof typeof floatFormats): Expr {
    const format = floatFormats[name];
    const open = this.tokens[++this.pos];
    if (open?.kind !== "op" || open.text !== "(") {
      throw new ExpressionSyntaxError(open?.col ?? this.endColumn(), "expecting `('");
    }
    let sign = this.tokens[++this.pos];
    const negative = sign?.kind === "op" && sign.text === "-";
    if (sign?.kind === "op" && (sign.text === "-" || sign.text === "+"))
      sign = this.tokens[++this.pos];
    if (!isFloatToken(sign)) {
      throw new ExpressionSyntaxError(
        sign?.col ?? this.endColumn(),
        "expecting floating-point number",
      );
    }
    const result = floatConstant(sign!.text, negative, format);
    if (!result.ok) throw new ExpressionSyntaxError(sign!.col, result.error);
    for (const warning of result.warnings) this.syntax.warn(sign!.col, warning);
    const close = this.tokens[++this.pos];
    if (close?.kind !== "op" || close.text !== ")") {
      throw new ExpressionSyntaxError(close?.col ?? this.endColumn(), "expecting `)'");
    }
    this.pos++;
    return { kind: "number", value: floatizeValue(result.bytes, format), col: token.col };
  }
}
