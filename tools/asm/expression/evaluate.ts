// Evaluates an expression tree the way NASM's evaluator does: 64-bit two's complement
// arithmetic, `/` and `%` unsigned, `//` and `%%` signed, `>>` logical and `>>>` arithmetic,
// comparisons on the signed difference. A value is a linear combination of registers plus a
// constant, so memory operands like [ebx+esi*4+label-8] evaluate to {ebx:1, esi:4} + constant.
// While evaluating it keeps NASM's base-register hint (the first register written is the
// preferred base unless it gets multiplied or summed), which decides base vs index later.
// A symbol not yet defined in this pass makes the value unknown rather than failing. Labels,
// `$` and `$$` also carry their section (NASM's segment base term): a value that still has one
// is relocatable, and NASM never encodes those in a sign-extended byte or a disp8.

import type { BinaryOperator, Expr, UnaryOperator } from "./ast.ts";

type BinaryExpr = Extract<Expr, { kind: "binary" }>;

type Comparison = "==" | "!=" | "<" | "<=" | ">" | ">=" | "<=>";
/** Operators defined only on plain numbers. */
type ScalarOperator = Exclude<BinaryOperator, "+" | "-" | "*" | Comparison>;

export interface Value {
  readonly constant: bigint;
  /** A plain-number term is present (NASM's EXPR_SIMPLE); matters only for the hint. */
  readonly hasConstant: boolean;
  /** Register -> coefficient (never zero), or null when there is no register. */
  readonly registers: ReadonlyMap<string, bigint> | null;
  /** Depends on a symbol whose value is not known in this pass. */
  readonly unknown: boolean;
  /** Section index -> coefficient of its base (never zero), or null for a plain number. */
  readonly relocations: ReadonlyMap<number, bigint> | null;
}

export type HintType = "none" | "makebase" | "notbase" | "summed";

/** NASM's effective-address hint, updated as the expression is evaluated. */
export interface BaseRegisterHint {
  type: HintType;
  base: string;
}

export interface SymbolLookup {
  /** False when the symbol is not (yet) defined: the value is then unknown. */
  readonly known: boolean;
  readonly value: bigint;
  /** The section(s) the value is relative to (labels: their own section). */
  readonly relocations?: ReadonlyMap<number, bigint> | null;
}

/** A position: an address and the section it is in. */
export interface Position {
  readonly value: bigint;
  /** Undefined in absolute space (struc, `absolute`): the value is a plain number. */
  readonly section: number | undefined;
}

export interface EvaluationEnvironment {
  lookup(name: string, col: number): SymbolLookup;
  /** Value of `$`, or undefined where `$` has no meaning (preprocessor expressions). */
  here(col: number): Position | undefined;
  /** Value of `$$`, likewise. */
  sectionBase(col: number): Position | undefined;
  error(col: number, message: string): void;
}

const wrap = (value: bigint): bigint => BigInt.asIntN(64, value);
const unsigned = (value: bigint): bigint => BigInt.asUintN(64, value);

function scalar(constant: bigint): Value {
  return {
    constant: wrap(constant),
    hasConstant: true,
    registers: null,
    unknown: false,
    relocations: null,
  };
}

const unknownValue: Value = {
  constant: 0n,
  hasConstant: false,
  registers: null,
  unknown: true,
  relocations: null,
};

function located(position: Position): Value {
  if (position.section === undefined) return scalar(position.value);
  return { ...scalar(position.value), relocations: new Map([[position.section, 1n]]) };
}

/** Term-wise sum of two coefficient maps; `onSum` is told when a term appears in both. */
function addTerms<K>(
  left: ReadonlyMap<K, bigint> | null,
  right: ReadonlyMap<K, bigint> | null,
  onSum: () => void,
): Map<K, bigint> | null {
  if (!left && !right) return null;
  const sum = new Map(left ?? []);
  for (const [key, coefficient] of right ?? []) {
    const existing = sum.get(key);
    if (existing === undefined) {
      sum.set(key, coefficient);
      continue;
    }
    const total = wrap(existing + coefficient);
    if (total === 0n) {
      sum.delete(key);
    } else {
      sum.set(key, total);
      onSum();
    }
  }
  return sum.size === 0 ? null : sum;
}

function isScalar(value: Value): boolean {
  return value.registers === null;
}

/** Evaluates `expr`; undefined after an error has been reported through `env`. */
export function evaluate(
  expr: Expr,
  env: EvaluationEnvironment,
  hint?: BaseRegisterHint,
): Value | undefined {
  if (hint) {
    hint.type = "none";
    hint.base = "";
  }
  return new Evaluator(env, hint).value(expr);
}

class Evaluator {
  constructor(
    private readonly env: EvaluationEnvironment,
    private readonly hint: BaseRegisterHint | undefined,
  ) {}

  value(expr: Expr): Value | undefined {
    switch (expr.kind) {
      case "number":
        return scalar(expr.value);
      case "float":
        this.env.error(expr.col, "floating-point constant in an integer expression");
        return undefined;
      case "here": {
        const here = this.env.here(expr.col);
        if (here === undefined) {
          this.env.error(expr.col, "`$' is not available here");
          return undefined;
        }
        return located(here);
      }
      case "base": {
        const base = this.env.sectionBase(expr.col);
        if (base === undefined) {
          this.env.error(expr.col, "`$$' is not available here");
          return undefined;
        }
        return located(base);
      }
      case "symbol": {
        const found = this.env.lookup(expr.name, expr.col);
        if (!found.known) return unknownValue;
        return { ...scalar(found.value), relocations: found.relocations ?? null };
      }
      case "register":
        if (this.hint && this.hint.type === "none") {
          this.hint.type = "makebase";
          this.hint.base = expr.name;
        }
        return {
          constant: 0n,
          hasConstant: false,
          registers: new Map([[expr.name, 1n]]),
          unknown: false,
          relocations: null,
        };
      case "unary":
        return this.unary(expr.op, expr.operand, expr.col);
      case "binary":
        return this.binaryChain(expr);
      case "conditional": {
        const test = this.value(expr.test);
        if (!test) return undefined;
        if (!isScalar(test)) {
          this.env.error(expr.col, "the left-hand side of `?' must be a scalar value");
          return undefined;
        }
        const whenTrue = this.value(expr.whenTrue);
        const whenFalse = this.value(expr.whenFalse);
        if (!whenTrue || !whenFalse) return undefined;
        if (test.unknown) return unknownValue;
        return test.constant !== 0n ? whenTrue : whenFalse;
      }
    }
  }

  private unary(op: UnaryOperator, operandExpr: Expr, col: number): Value | undefined {
    const operand = this.value(operandExpr);
    if (!operand) return undefined;
    if (op === "+") return operand;
    if (op === "-") return this.scale(operand, -1n, false);
    // NASM's is_simple: no register and no section base (`~label` is refused).
    if (!isScalar(operand) || operand.relocations !== null) {
      this.env.error(
        col,
        op.startsWith("ilog2")
          ? "function may only be applied to scalar values"
          : `\`${op}' operator may only be applied to scalar values`,
      );
      return undefined;
    }
    if (operand.unknown) return unknownValue;
    if (op === "~") return scalar(~operand.constant);
    if (op === "!") return scalar(operand.constant === 0n ? 1n : 0n);
    return this.integerLog(op, unsigned(operand.constant), col);
  }

  /** NASM's eval_ifunc: ilog2e refuses a non-power of two, ilog2w/f round down, ilog2c up. */
  private integerLog(op: UnaryOperator, value: bigint, col: number): Value | undefined {
    const powerOfTwo = value !== 0n && (value & (value - 1n)) === 0n;
    if (op === "ilog2e" && !powerOfTwo) {
      this.env.error(col, "ilog2 argument is not a power of two");
      return undefined;
    }
    const floorLog = (v: bigint): bigint => (v === 0n ? 0n : BigInt(v.toString(2).length - 1));
    if (op === "ilog2c") return scalar(value < 2n ? 0n : floorLog(value - 1n) + 1n);
    return scalar(floorLog(value));
  }

  /**
   * A left-leaning chain of binary operators (`a+b+c+...`, thousands of terms long) is
   * evaluated in a loop, not by recursion, so its length cannot exhaust the host stack.
   */
  private binaryChain(top: BinaryExpr): Value | undefined {
    const chain: BinaryExpr[] = [top];
    let leftmost = top.left;
    while (leftmost.kind === "binary") {
      chain.push(leftmost);
      leftmost = leftmost.left;
    }
    let left = this.value(leftmost);
    for (let i = chain.length - 1; i >= 0 && left; i--) {
      const node = chain[i]!;
      const right = this.value(node.right);
      if (!right) return undefined;
      left = this.binary(node.op, left, right, node.col);
    }
    return left;
  }

  private binary(op: BinaryOperator, left: Value, right: Value, col: number): Value | undefined {
    switch (op) {
      case "+":
        return this.add(left, right);
      case "-":
        return this.add(left, this.scale(right, -1n, false));
      case "*":
        if (isScalar(left) && !left.unknown) return this.scale(right, left.constant, true);
        if (isScalar(right) && !right.unknown) return this.scale(left, right.constant, true);
        if (isScalar(left) && isScalar(right)) return unknownValue;
        this.env.error(col, "unable to multiply two non-scalar objects");
        return undefined;
      case "==":
      case "!=":
      case "<":
      case "<=":
      case ">":
      case ">=":
      case "<=>":
        return this.compare(op, this.add(left, this.scale(right, -1n, false)), col);
    }
    if (!isScalar(left) || !isScalar(right)) {
      this.env.error(col, `\`${op}' operator may only be applied to scalar values`);
      return undefined;
    }
    const isDivision = op === "/" || op === "//" || op === "%" || op === "%%";
    if (isDivision && !right.unknown && right.constant === 0n) {
      this.env.error(col, "division by zero");
      return undefined;
    }
    if (left.unknown || right.unknown) return unknownValue;
    return scalar(scalarOperation(op, left.constant, right.constant));
  }

  private compare(op: Comparison, difference: Value, col: number): Value | undefined {
    if (difference.unknown) return unknownValue;
    const d = difference.constant;
    if (op === "==" || op === "!=") {
      const equal = difference.registers === null && d === 0n;
      return scalar((op === "==") === equal ? 1n : 0n);
    }
    if (difference.registers !== null) {
      this.env.error(col, `\`${op}': operands differ by a non-scalar`);
      return undefined;
    }
    switch (op) {
      case "<":
        return scalar(d < 0n ? 1n : 0n);
      case "<=":
        return scalar(d <= 0n ? 1n : 0n);
      case ">":
        return scalar(d > 0n ? 1n : 0n);
      case ">=":
        return scalar(d >= 0n ? 1n : 0n);
      default:
        // NASM 2.16 uses -1 internally for "unknown", so `a <=> b` with a < b is unknown
        // (assembles as 0) rather than -1. Kept for byte identity.
        return d < 0n ? unknownValue : scalar(d > 0n ? 1n : 0n);
    }
  }

  /** NASM's add_vectors: terms of the same kind on both sides mark the hint as summed. */
  private add(left: Value, right: Value): Value {
    let hasConstant = left.hasConstant || right.hasConstant;
    const constant = wrap(left.constant + right.constant);
    if (left.hasConstant && right.hasConstant) {
      if (constant === 0n) hasConstant = false;
      else this.markSummed();
    }
    const registers = addTerms(left.registers, right.registers, () => this.markSummed());
    const relocations = addTerms(left.relocations, right.relocations, () => {});
    return {
      constant,
      hasConstant,
      registers,
      unknown: left.unknown || right.unknown,
      relocations,
    };
  }

  private markSummed(): void {
    if (this.hint) this.hint.type = "summed";
  }

  /** NASM's scalar_mult: multiplying the hinted base register demotes it to an index. */
  private scale(value: Value, factor: bigint, affectsHint: boolean): Value {
    let registers: Map<string, bigint> | null = null;
    if (value.registers) {
      registers = new Map();
      for (const [name, coefficient] of value.registers) {
        const product = wrap(coefficient * factor);
        if (product !== 0n) registers.set(name, product);
        if (affectsHint && this.hint?.type === "makebase" && this.hint.base === name) {
          this.hint.type = "notbase";
        }
      }
      if (registers.size === 0) registers = null;
    }
    let relocations: Map<number, bigint> | null = null;
    if (value.relocations && factor !== 0n) {
      relocations = new Map();
      for (const [section, coefficient] of value.relocations) {
        relocations.set(section, wrap(coefficient * factor));
      }
    }
    return {
      constant: wrap(value.constant * factor),
      hasConstant: value.hasConstant,
      registers,
      unknown: value.unknown,
      relocations,
    };
  }
}

function scalarOperation(op: ScalarOperator, a: bigint, b: bigint): bigint {
  switch (op) {
    case "|":
      return a | b;
    case "^":
      return a ^ b;
    case "&":
      return a & b;
    case "<<":
      return a << (b & 63n);
    case ">>":
      return unsigned(a) >> (b & 63n);
    case "<<<":
      return a << (b & 63n);
    case ">>>":
      return a >> (b & 63n);
    case "/":
      return unsigned(a) / unsigned(b);
    case "//":
      return a / b;
    case "%":
      return unsigned(a) % unsigned(b);
    case "%%":
      return a % b;
    case "&&":
      return a !== 0n && b !== 0n ? 1n : 0n;
    case "||":
      return a !== 0n || b !== 0n ? 1n : 0n;
    case "^^":
      return (a !== 0n) !== (b !== 0n) ? 1n : 0n;
  }
}
