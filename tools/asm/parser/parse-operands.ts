// Instruction operands in NASM syntax: registers, immediates with size/strict/short/near,
// and memory references `[seg: expr]` with `byte`/`dword` displacement hints, `seg:[expr]`
// and `disp[expr]`. The memory expression stays a tree; base/index/scale come out of it in
// each pass (effective-address.ts). Far pointers (`jmp seg:off`, `far`) are not supported.

import { type ExpressionSyntax, parseExpression } from "../expression/parse-expression.ts";
import type { OperandSize } from "../instruction.ts";
import type { Token } from "../lexer.ts";
import { generalRegister, isRegisterName, isSegmentRegister } from "../registers.ts";
import { sizeKeywords } from "./keywords.ts";
import type { OperandSyntax } from "./statement.ts";
import { endColumn, isOp, keyword } from "./token-queries.ts";

/** A problem on one line, at a column; the parser reports it and moves to the next line. */
export class StatementError extends Error {
  constructor(
    readonly col: number,
    message: string,
  ) {
    super(message);
  }
}

const operandSizes: ReadonlyMap<number, OperandSize> = new Map([
  [8, 8],
  [16, 16],
  [32, 32],
  [64, 64],
]);

/** Parses the comma-separated operands from `start` to the end of the line. */
export function parseOperands(
  tokens: readonly Token[],
  start: number,
  syntax: ExpressionSyntax,
): OperandSyntax[] {
  const operands: OperandSyntax[] = [];
  let i = start;
  if (i >= tokens.length) return operands;
  for (;;) {
    const { operand, next } = parseOperand(tokens, i, syntax);
    operands.push(operand);
    i = next;
    if (i >= tokens.length) return operands;
    if (!isOp(tokens[i], ",")) {
      throw new StatementError(
        tokens[i]!.col,
        `comma or end of line expected after operand, found \`${tokens[i]!.text}'`,
      );
    }
    i++;
    if (i >= tokens.length)
      throw new StatementError(endColumn(tokens), "operand expected after `,'");
  }
}

function parseOperand(
  tokens: readonly Token[],
  start: number,
  syntax: ExpressionSyntax,
): { operand: OperandSyntax; next: number } {
  let i = start;
  let size: OperandSize | undefined;
  let strict = false;
  let distance: "short" | "near" | undefined;
  for (;;) {
    const word = keyword(tokens[i]);
    if (word === undefined) break;
    const bits = sizeKeywords.get(word);
    if (bits !== undefined) {
      size = operandSizes.get(bits);
      if (size === undefined) {
        throw new StatementError(tokens[i]!.col, `\`${word}' operands are not supported`);
      }
    } else if (word === "strict") {
      strict = true;
    } else if (word === "short" || word === "near") {
      distance = word;
    } else if (word === "far") {
      throw new StatementError(tokens[i]!.col, "far jumps and calls are not supported");
    } else {
      break;
    }
    i++;
  }
  const token = tokens[i];
  if (token === undefined) throw new StatementError(endColumn(tokens), "operand expected");
  const col = tokens[start]!.col;
  if (isOp(token, "[")) {
    const memory = parseMemory(tokens, i, syntax, undefined);
    return { operand: { ...memory.operand, col, size }, next: memory.next };
  }
  const word = keyword(token);
  if (word !== undefined && isSegmentRegister(word) && isOp(tokens[i + 1], ":")) {
    if (!isOp(tokens[i + 2], "[")) {
      throw new StatementError(token.col, "far pointers (segment:offset) are not supported");
    }
    const memory = parseMemory(tokens, i + 2, syntax, word);
    return { operand: { ...memory.operand, col, size }, next: memory.next };
  }
  if (word !== undefined && isRegisterName(word)) {
    const after = tokens[i + 1];
    if (after === undefined || isOp(after, ",")) {
      const registerSize = generalRegister(word)?.sizeBits;
      if (size !== undefined && registerSize !== undefined && size !== registerSize) {
        throw new StatementError(col, `operand size mismatch: \`${word}' is ${registerSize}-bit`);
      }
      return { operand: { kind: "reg", name: word, col: token.col }, next: i + 1 };
    }
  }
  const { expr, next } = parseExpression(tokens, i, syntax);
  if (isOp(tokens[next], "[")) {
    // disp[regs]: the displacement written before the brackets.
    const memory = parseMemory(tokens, next, syntax, undefined);
    const inner = memory.operand.expr;
    return {
      operand: {
        ...memory.operand,
        expr: { kind: "binary", op: "+", left: expr, right: inner, col: token.col },
        col,
        size,
      },
      next: memory.next,
    };
  }
  return {
    operand: { kind: "imm", expr, col, size, strict, distance },
    next,
  };
}

function parseMemory(
  tokens: readonly Token[],
  open: number,
  syntax: ExpressionSyntax,
  outerSegment: string | undefined,
): { operand: Extract<OperandSyntax, { kind: "mem" }>; next: number } {
  let i = open + 1;
  let dispSize: 8 | 16 | 32 | undefined;
  let segment = outerSegment;
  for (;;) {
    const word = keyword(tokens[i]);
    if (word === "byte") dispSize = 8;
    else if (word === "word") dispSize = 16;
    else if (word === "dword") dispSize = 32;
    else if (word === "nosplit" || word === "rel" || word === "abs") {
      throw new StatementError(tokens[i]!.col, `\`${word}' is not supported`);
    } else break;
    i++;
  }
  const word = keyword(tokens[i]);
  if (word !== undefined && isSegmentRegister(word) && isOp(tokens[i + 1], ":")) {
    if (segment !== undefined) {
      throw new StatementError(tokens[i]!.col, "instruction has conflicting segment overrides");
    }
    segment = word;
    i += 2;
  }
  if (isOp(tokens[i], "]")) throw new StatementError(tokens[i]!.col, "empty memory reference");
  let { expr, next } = parseExpression(tokens, i, syntax);
  if (isOp(tokens[next], ",")) {
    // NASM's split form `[base+disp, index*scale]`: the same address as their sum.
    const index = parseExpression(tokens, next + 1, syntax);
    expr = { kind: "binary", op: "+", left: expr, right: index.expr, col: tokens[next]!.col };
    next = index.next;
  }
  if (!isOp(tokens[next], "]")) {
    throw new StatementError(
      tokens[next]?.col ?? endColumn(tokens),
      "expecting `]' at end of memory operand",
    );
  }
  return {
    operand: { kind: "mem", expr, col: tokens[open]!.col, dispSize, segment },
    next: next + 1,
  };
}
