// Expressions as the NASM manual (section 3.5) defines them: 64-bit arithmetic, `/` and `%`
// unsigned, `//` and `%%` signed, `>>` logical and `>>>` arithmetic, comparisons giving 0/1,
// and the precedence ladder ?: < || < ^^ < && < comparisons < | < ^ < & < shifts < + - <
// * / // % %% < unary. A property test prints random trees with the fewest parentheses that
// ladder allows and checks the parser reads them back to the value a reference evaluator
// (written here from the manual) computes.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../tools/asm/expression/evaluate.ts";
import { parseExpression } from "../../../tools/asm/expression/parse-expression.ts";
import { tokenizeLine } from "../../../tools/asm/lexer.ts";
import { checkProperty } from "../../support/seeded-property.ts";

function evaluateText(text: string): bigint {
  const { tokens, error } = tokenizeLine(text);
  if (error) throw new Error(error.message);
  const syntax = { isRegister: () => false, qualify: (name: string) => name, warn: () => {} };
  const parsed = parseExpression(tokens, 0, syntax);
  if (parsed.next !== tokens.length) throw new Error(`trailing tokens in ${text}`);
  const errors: string[] = [];
  const value = evaluate(parsed.expr, {
    lookup: () => ({ known: false, value: 0n }),
    here: () => undefined,
    sectionBase: () => undefined,
    error: (_col, message) => errors.push(message),
  });
  if (!value || errors.length > 0) throw new Error(errors.join("; "));
  return value.constant;
}

describe("expression operators", () => {
  const cases: [string, bigint][] = [
    ["1 + 2 * 3", 7n],
    ["(1 + 2) * 3", 9n],
    ["2 - 3 - 4", -5n],
    ["100 / 7 / 2", 7n],
    ["-7 / 2", 0x7ffffffffffffffcn], // unsigned 64-bit division
    ["-7 // 2", -3n], // signed, truncating
    ["-7 % 3", 0n], // (2^64 - 7) mod 3
    ["-7 %% 3", -1n],
    ["7 %% -3", 1n],
    ["1 << 4 >> 2", 4n],
    ["-16 >> 2", 0x3ffffffffffffffcn],
    ["-16 >>> 2", -4n],
    ["1 << 63", -(1n << 63n)],
    ["1 | 2 ^ 3 & 4", 3n],
    ["~0", -1n],
    ["!0 + !5", 1n],
    ["- - 3", 3n],
    ["3 < 4", 1n],
    ["4 = 4", 1n],
    ["4 <> 4", 0n],
    ["-1 < 0", 1n],
    ["0xFFFFFFFFFFFFFFFF < 0", 1n], // comparisons are signed
    ["1 && 0 || 1", 1n],
    ["1 ^^ 1", 0n],
    ["2 <=> 1", 1n],
    ["1 ? 2 : 3", 2n],
    ["0 ? 2 : 0 ? 3 : 4", 4n],
    ["'ab'", 0x6261n],
    ["`\\n` + 1", 11n],
  ];
  for (const [text, expected] of cases) {
    it(`${text} = ${expected}`, () => {
      expect(evaluateText(text)).toBe(expected);
    });
  }

  it("refuses division by zero", () => {
    expect(() => evaluateText("1 / 0")).toThrow("division by zero");
    expect(() => evaluateText("1 %% (2 - 2)")).toThrow("division by zero");
  });
});

// ---- reference semantics, written from the NASM manual

type Tree =
  | { kind: "number"; value: bigint }
  | { kind: "unary"; op: "-" | "~" | "!"; operand: Tree }
  | { kind: "binary"; op: string; left: Tree; right: Tree }
  | { kind: "conditional"; test: Tree; whenTrue: Tree; whenFalse: Tree };

const ladder: string[][] = [
  ["||"],
  ["^^"],
  ["&&"],
  ["==", "!=", "<", "<=", ">", ">="],
  ["|"],
  ["^"],
  ["&"],
  ["<<", ">>", ">>>"],
  ["+", "-"],
  ["*", "/", "//", "%", "%%"],
];
const binaryOps = ladder.flat();
const levelOf = (op: string) => ladder.findIndex((ops) => ops.includes(op));
const conditionalLevel = -1;
const unaryLevel = ladder.length;

const s64 = (v: bigint) => BigInt.asIntN(64, v);
const u64 = (v: bigint) => BigInt.asUintN(64, v);

function reference(tree: Tree): bigint | undefined {
  switch (tree.kind) {
    case "number":
      return tree.value;
    case "unary": {
      const v = reference(tree.operand);
      if (v === undefined) return undefined;
      if (tree.op === "-") return s64(-v);
      if (tree.op === "~") return s64(~v);
      return v === 0n ? 1n : 0n;
    }
    case "conditional": {
      const t = reference(tree.test);
      const a = reference(tree.whenTrue);
      const b = reference(tree.whenFalse);
      if (t === undefined || a === undefined || b === undefined) return undefined;
      return t !== 0n ? a : b;
    }
    case "binary": {
      const a = reference(tree.left);
      const b = reference(tree.right);
      if (a === undefined || b === undefined) return undefined;
      const shift = b & 63n;
      switch (tree.op) {
        case "+":
          return s64(a + b);
        case "-":
          return s64(a - b);
        case "*":
          return s64(a * b);
        case "/":
          return b === 0n ? undefined : s64(u64(a) / u64(b));
        case "%":
          return b === 0n ? undefined : s64(u64(a) % u64(b));
        case "//":
          return b === 0n ? undefined : s64(a / b);
        case "%%":
          return b === 0n ? undefined : s64(a % b);
        case "<<":
          return s64(a << shift);
        case ">>":
          return s64(u64(a) >> shift);
        case ">>>":
          return a >> shift;
        case "|":
          return a | b;
        case "^":
          return a ^ b;
        case "&":
          return a & b;
        case "==":
          return a === b ? 1n : 0n;
        case "!=":
          return a !== b ? 1n : 0n;
        case "<":
          return s64(a - b) < 0n ? 1n : 0n;
        case "<=":
          return s64(a - b) <= 0n ? 1n : 0n;
        case ">":
          return s64(a - b) > 0n ? 1n : 0n;
        case ">=":
          return s64(a - b) >= 0n ? 1n : 0n;
        case "&&":
          return a !== 0n && b !== 0n ? 1n : 0n;
        case "||":
          return a !== 0n || b !== 0n ? 1n : 0n;
        default:
          return (a !== 0n) !== (b !== 0n) ? 1n : 0n;
      }
    }
  }
}

function levelOfTree(tree: Tree): number {
  if (tree.kind === "binary") return levelOf(tree.op);
  if (tree.kind === "conditional") return conditionalLevel;
  return unaryLevel + 1;
}

/** Source text with parentheses only where the precedence ladder needs them. */
function print(tree: Tree): string {
  const wrap = (child: Tree, needs: boolean) => (needs ? `(${print(child)})` : print(child));
  switch (tree.kind) {
    case "number":
      return String(tree.value);
    case "unary":
      return `${tree.op}${wrap(tree.operand, levelOfTree(tree.operand) <= unaryLevel)}`;
    case "conditional":
      return `${wrap(tree.test, levelOfTree(tree.test) <= conditionalLevel)} ? ${print(tree.whenTrue)} : ${print(tree.whenFalse)}`;
    case "binary": {
      const level = levelOf(tree.op);
      const left = wrap(tree.left, levelOfTree(tree.left) < level);
      const right = wrap(tree.right, levelOfTree(tree.right) <= level);
      return `${left} ${tree.op} ${right}`;
    }
  }
}

const treeArbitrary = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.bigInt({ min: 0n, max: 300n }).map((value): Tree => ({ kind: "number", value })),
    fc
      .record({
        op: fc.constantFrom("-" as const, "~" as const, "!" as const),
        operand: tie("tree"),
      })
      .map(({ op, operand }): Tree => ({ kind: "unary", op, operand: operand as Tree })),
    fc.record({ op: fc.constantFrom(...binaryOps), left: tie("tree"), right: tie("tree") }).map(
      ({ op, left, right }): Tree => ({
        kind: "binary",
        op,
        left: left as Tree,
        right: right as Tree,
      }),
    ),
    fc.record({ test: tie("tree"), whenTrue: tie("tree"), whenFalse: tie("tree") }).map(
      ({ test, whenTrue, whenFalse }): Tree => ({
        kind: "conditional",
        test: test as Tree,
        whenTrue: whenTrue as Tree,
        whenFalse: whenFalse as Tree,
      }),
    ),
  ),
})).tree;

describe("expression precedence (property)", () => {
  it("parses minimally parenthesised trees back to the reference value", () => {
    checkProperty(
      fc.property(treeArbitrary, (tree) => {
        const expected = reference(tree);
        fc.pre(expected !== undefined);
        expect(evaluateText(print(tree))).toBe(expected);
      }),
      "test/unit/asm/expressions.test.ts",
      400,
      { verbose: fc.VerbosityLevel.Verbose },
    );
  });
});
