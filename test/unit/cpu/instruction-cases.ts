// Focused instruction cases, per family, at the edges the Intel SDM vol. 2 describes. Each
// case sets registers and EFLAGS, runs a few NASM lines, and the state afterwards (8
// registers, EFLAGS, 64 scratch bytes at 0x600000) is compared with what qemu-i386 produced
// for the same bytes (record-instruction-cases.ts records it). `defined` holds the status
// flags the manual defines after the case; the others are not compared.

export const CF = 0x001;
export const PF = 0x004;
export const AF = 0x010;
export const ZF = 0x040;
export const SF = 0x080;
export const OF = 0x800;
export const ALL = CF | PF | AF | ZF | SF | OF;

export interface InstructionCase {
  name: string;
  /** NASM source lines (bits 32); scratch memory is at 0x600000, the stack below 0x603ff0. */
  code: string;
  /** Initial registers other than esp (default: a fixed pattern). */
  regs?: Partial<Record<RegisterName, number>>;
  /** Initial EFLAGS status and DF bits (default: 0). */
  flags?: number;
  /** Status flags the manual defines after the case. */
  defined: number;
}

export type RegisterName = "eax" | "ecx" | "edx" | "ebx" | "ebp" | "esi" | "edi";

export const defaultRegs: Record<RegisterName, number> = {
  eax: 0x11223344,
  ecx: 0x55667788,
  edx: 0x99aabbcc,
  ebx: 0xddeeff00,
  ebp: 0x603f00,
  esi: 0x600000,
  edi: 0x600020,
};

const cases: InstructionCase[] = [];

function add(c: InstructionCase): void {
  cases.push(c);
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

// ---- ALU: add adc sub sbb cmp and or xor test, at the sign and carry boundaries.
const aluPairs32: [number, number][] = [
  [0x7fffffff, 1],
  [0xffffffff, 1],
  [0x80000000, 0x80000000],
  [0, 0],
  [0x0f, 0x01],
  [0x80000000, 1],
  [0x12345678, 0x9abcdef0],
];
const logic = new Set(["and", "or", "xor", "test"]);
for (const op of ["add", "adc", "sub", "sbb", "cmp", "and", "or", "xor", "test"]) {
  const defined = logic.has(op) ? ALL & ~AF : ALL;
  for (const [a, b] of aluPairs32) {
    for (const carryIn of op === "adc" || op === "sbb" ? [0, CF] : [0]) {
      add({
        name: `${op} eax, ebx ${hex(a)}, ${hex(b)} cf=${carryIn}`,
        code: `${op} eax, ebx`,
        regs: { eax: a, ebx: b },
        flags: carryIn,
        defined,
      });
    }
  }
  const pairs8: [number, number][] = [
    [0x7f, 1],
    [0xff, 1],
    [0x80, 0x80],
    [0x08, 0x08],
  ];
  for (const [a, b] of pairs8) {
    add({
      name: `${op} al, bh ${hex(a)}, ${hex(b)}`,
      code: `${op} al, bh`,
      regs: { eax: 0x12345600 | a, ebx: 0x1234 | (b << 8) },
      flags: CF,
      defined,
    });
    add({
      name: `${op} ah, imm8 ${hex(a)}, ${hex(b)}`,
      code: `${op} ah, ${b}`,
      regs: { eax: 0x12340078 | (a << 8) },
      defined,
    });
  }
  const pairs16: [number, number][] = [
    [0x7fff, 1],
    [0xffff, 1],
    [0x8000, 0xffff],
  ];
  for (const [a, b] of pairs16) {
    add({
      name: `${op} cx, dx ${hex(a)}, ${hex(b)}`,
      code: `${op} cx, dx`,
      regs: { ecx: 0xabcd0000 | a, edx: 0x12340000 | b },
      flags: CF,
      defined,
    });
  }
  add({
    name: `${op} dword [mem], imm8 (sign-extended)`,
    code: `mov dword [0x600000], 0x7ffffffe\n${op} dword [0x600000], -3`,
    flags: CF,
    defined,
  });
  add({
    name: `${op} [mem], reg 16-bit`,
    code: `mov word [esi+4], 0x8001\n${op} [esi+4], dx`,
    regs: { edx: 0x8000 },
    defined,
  });
  add({
    name: `${op} eax, imm32`,
    code: `${op} eax, 0x80000000`,
    regs: { eax: 0x80000000 },
    defined,
  });
}

// ---- inc dec neg not: inc/dec keep CF.
for (const [value, carry] of [
  [0x7fffffff, CF],
  [0xffffffff, 0],
  [0x80000000, CF],
  [0, 0],
  [0x0f, 0],
]) {
  for (const op of ["inc", "dec", "neg", "not"]) {
    add({
      name: `${op} ecx ${hex(value!)}`,
      code: `${op} ecx`,
      regs: { ecx: value! },
      flags: carry!,
      defined: ALL,
    });
  }
  add({
    name: `inc byte ${hex(value!)}`,
    code: "inc dl",
    regs: { edx: value! },
    flags: carry!,
    defined: ALL,
  });
  add({
    name: `dec word ${hex(value!)}`,
    code: "dec si",
    regs: { esi: value! },
    flags: carry!,
    defined: ALL,
  });
  add({
    name: `neg byte [mem] ${hex(value!)}`,
    code: `mov byte [esi], ${value! & 0xff}\nneg byte [esi]`,
    defined: ALL,
  });
}

// ---- mul / imul: only CF and OF are defined.
const mulPairs: [number, number][] = [
  [0xffffffff, 0xffffffff],
  [0x80000000, 2],
  [0x7fffffff, 0x7fffffff],
  [0x10000, 0x10000],
  [3, 5],
  [0xffffffff, 1],
  [0x80000000, 0xffffffff],
];
for (const [a, b] of mulPairs) {
  const regs = { eax: a, ebx: b, edx: 0x12345678 };
  add({ name: `mul ebx ${hex(a)}*${hex(b)}`, code: "mul ebx", regs, defined: CF | OF });
  add({ name: `imul ebx ${hex(a)}*${hex(b)}`, code: "imul ebx", regs, defined: CF | OF });
  add({ name: `imul eax, ebx ${hex(a)}*${hex(b)}`, code: "imul eax, ebx", regs, defined: CF | OF });
  add({ name: `mul bl ${hex(a)}*${hex(b)}`, code: "mul bl", regs, defined: CF | OF });
  add({ name: `imul bl ${hex(a)}*${hex(b)}`, code: "imul bl", regs, defined: CF | OF });
  add({ name: `mul bx ${hex(a)}*${hex(b)}`, code: "mul bx", regs, defined: CF | OF });
  add({ name: `imul bx ${hex(a)}*${hex(b)}`, code: "imul bx", regs, defined: CF | OF });
  add({ name: `imul cx, bx, imm ${hex(b)}`, code: "imul cx, bx, -300", regs, defined: CF | OF });
}
add({
  name: "imul r32, r/m32, imm8",
  code: "imul ecx, ebx, -7",
  regs: { ebx: 0x12345678 },
  defined: CF | OF,
});
add({
  name: "imul r32, r/m32, imm32 overflow",
  code: "imul ecx, ebx, 0x10000",
  regs: { ebx: 0x12345 },
  defined: CF | OF,
});
add({
  name: "imul r32, [mem]",
  code: "mov dword [esi], -5\nimul eax, [esi]",
  regs: { eax: 0x40000000 },
  defined: CF | OF,
});

// ---- div / idiv (no #DE here; flags are all undefined).
const divCases: [string, Partial<Record<RegisterName, number>>][] = [
  ["div ebx", { edx: 0x00000001, eax: 0x00000000, ebx: 0x00000002 }],
  ["div ebx", { edx: 0x12345677, eax: 0x9abcdef0, ebx: 0x12345678 }],
  ["div ebx", { edx: 0, eax: 0xffffffff, ebx: 7 }],
  ["idiv ebx", { edx: 0xffffffff, eax: 0xfffffff9, ebx: 2 }],
  ["idiv ebx", { edx: 0xffffffff, eax: 0x80000000, ebx: 2 }],
  ["idiv ebx", { edx: 0x3fffffff, eax: 0, ebx: 0x7fffffff }],
  ["idiv ebx", { edx: 0, eax: 100, ebx: 0xfffffff9 }],
  ["div bl", { eax: 0x1234, ebx: 0x80 }],
  ["idiv bl", { eax: 0xff81, ebx: 0xff }],
  ["div bx", { edx: 0x1234, eax: 0x5678, ebx: 0x2000 }],
  ["idiv bx", { edx: 0xffff, eax: 0x8000, ebx: 0x0100 }],
  ["div byte [esi]", { eax: 0x00ff, esi: 0x600000 }],
];
divCases.forEach(([code, regs], i) => {
  const setup = code.includes("[esi]") ? "mov byte [esi], 3\n" : "";
  add({ name: `${code} #${i}`, code: setup + code, regs, defined: 0 });
});

// ---- shifts and rotates: counts 0, 1, 2, width-1, width, > width; by 1, cl, imm8.
const shiftOps = ["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"];
for (const op of shiftOps) {
  for (const [reg, width, value] of [
    ["eax", 32, 0x81234567],
    ["ax", 16, 0x8143],
    ["al", 8, 0xc1],
  ] as const) {
    for (const count of [0, 1, 2, width - 1, width, width + 1, 31, 33]) {
      const masked = count & 31;
      let defined = ALL;
      if (masked !== 0) {
        if (op === "rol" || op === "ror" || op === "rcl" || op === "rcr") {
          defined = masked === 1 ? ALL : ALL & ~OF;
        } else {
          defined = masked === 1 ? ALL & ~AF : ALL & ~AF & ~OF;
          if ((op === "shl" || op === "shr") && masked >= width) defined &= ~CF;
        }
      }
      for (const carry of op === "rcl" || op === "rcr" ? [0, CF] : [CF]) {
        add({
          name: `${op} ${reg}, cl=${count} cf=${carry}`,
          code: `${op} ${reg}, cl`,
          regs: { eax: value, ecx: count },
          flags: carry | ZF | SF,
          defined,
        });
      }
      if (count === 1) {
        add({ name: `${op} ${reg}, 1`, code: `${op} ${reg}, 1`, regs: { eax: value }, defined });
      }
      if (count < 32 && width === 32) {
        add({
          name: `${op} dword [mem], imm ${count}`,
          code: `mov dword [esi], 0x80000001\n${op} dword [esi], ${count}`,
          flags: CF,
          defined: count === 0 ? ALL : defined,
        });
      }
    }
  }
}
for (const op of ["shld", "shrd"]) {
  for (const count of [0, 1, 4, 16, 31]) {
    const defined = count === 0 ? ALL : count === 1 ? ALL & ~AF : ALL & ~AF & ~OF;
    add({
      name: `${op} eax, ebx, ${count}`,
      code: `${op} eax, ebx, ${count}`,
      regs: { eax: 0x81234567, ebx: 0xfedcba98 },
      defined,
    });
    add({
      name: `${op} [mem], ebx, cl=${count}`,
      code: `mov dword [esi], 0x0f0f0f0f\n${op} [esi], ebx, cl`,
      regs: { ebx: 0x80000001, ecx: count },
      defined,
    });
    if (count <= 16) {
      add({
        name: `${op} ax, bx, ${count}`,
        code: `${op} ax, bx, ${count}`,
        regs: { eax: 0x1234c567, ebx: 0xba98 },
        defined,
      });
    }
  }
}

// ---- bit test and scan: bt* define CF (ZF unaffected); bsf/bsr define ZF.
for (const op of ["bt", "bts", "btr", "btc"]) {
  for (const bit of [0, 5, 31, 33, -1, -33, 100]) {
    add({
      name: `${op} [mem], reg bit ${bit}`,
      code:
        "mov dword [esi+16], 0xa5a5a5a5\nmov dword [esi+12], 0x0f0f0f0f\nmov dword [esi+28], 0x00000010\n" +
        `${op} [esi+16], ecx`,
      regs: { ecx: bit },
      flags: ZF,
      defined: CF | ZF,
    });
  }
  add({
    name: `${op} reg, reg 37`,
    code: `${op} eax, ecx`,
    regs: { eax: 0x20, ecx: 37 },
    defined: CF | ZF,
  });
  add({ name: `${op} reg16, imm 20`, code: `${op} ax, 20`, regs: { eax: 0x10 }, defined: CF | ZF });
  add({
    name: `${op} dword [mem], imm 35`,
    code: `mov dword [esi], 8\n${op} dword [esi], 35`,
    defined: CF | ZF,
  });
}
for (const op of ["bsf", "bsr"]) {
  for (const value of [1, 0x80000000, 0x00f0f000, 0x12345678]) {
    add({ name: `${op} ${hex(value)}`, code: `${op} ecx, ebx`, regs: { ebx: value }, defined: ZF });
  }
  add({ name: `${op} 16-bit`, code: `${op} cx, bx`, regs: { ebx: 0x12340600 }, defined: ZF });
  add({ name: `${op} [mem]`, code: `mov dword [esi], 0x00010100\n${op} edx, [esi]`, defined: ZF });
}

// ---- condition codes: setcc and cmovcc after compares that hit each relation.
const conditions = [
  "o",
  "no",
  "b",
  "ae",
  "e",
  "ne",
  "be",
  "a",
  "s",
  "ns",
  "p",
  "np",
  "l",
  "ge",
  "le",
  "g",
];
const comparePairs: [number, number][] = [
  [5, 5],
  [1, 2],
  [2, 1],
  [0x80000000, 1],
  [0x7fffffff, 0xffffffff],
];
for (const [a, b] of comparePairs) {
  const body = conditions.map((cc, i) => `set${cc} byte [esi+${i}]`).join("\n");
  add({
    name: `setcc after cmp ${hex(a)}, ${hex(b)}`,
    code: `cmp eax, ebx\n${body}`,
    regs: { eax: a, ebx: b },
    defined: ALL,
  });
  const moves = conditions
    .map((cc, i) => `mov edx, ${i}\ncmov${cc} ecx, edx\nmov [esi+${16 + (i % 8) * 4}], ecx`)
    .join("\n");
  add({
    name: `cmovcc after cmp ${hex(a)}, ${hex(b)}`,
    code: `cmp eax, ebx\n${moves}`,
    regs: { eax: a, ebx: b },
    defined: ALL,
  });
}
add({
  name: "setcc after test (PF, SF)",
  code: "test eax, eax\nsetp cl\nsets ch\nsetz dl\nsetl dh",
  regs: { eax: 0x80000003 },
  defined: ALL & ~AF,
});
add({
  name: "setcc after inc (OF)",
  code: "inc eax\nseto cl\nsetl ch\nsetg dl\nsetb dh",
  regs: { eax: 0x7fffffff },
  flags: CF,
  defined: ALL,
});
add({
  name: "cmov16 from memory",
  code: "mov word [esi], 0x4321\ncmp eax, eax\ncmove cx, [esi]\ncmovne dx, [esi]",
  defined: ALL,
});
add({
  name: "jcc taken / not taken",
  code: "cmp eax, ebx\njl .a\nmov ecx, 1\n.a: jge .b\nmov edx, 2\n.b: ja .c\nmov esi, 3\n.c:",
  regs: { eax: 0xfffffff0, ebx: 5 },
  defined: ALL,
});

// ---- data movement.
add({
  name: "movzx/movsx",
  code: "movzx eax, bl\nmovsx ecx, bl\nmovzx edx, bx\nmovsx edi, bx\nmovzx si, bh\nmovsx bp, bh",
  regs: { ebx: 0x1234f08f },
  defined: ALL,
});
add({
  name: "movzx/movsx from memory",
  code: "mov dword [esi], 0x80ff7f01\nmovzx eax, byte [esi+1]\nmovsx ecx, byte [esi+1]\nmovzx edx, word [esi+2]\nmovsx ebx, word [esi+2]",
  defined: ALL,
});
add({
  name: "mov 8/16-bit registers",
  code: "mov ah, bl\nmov ch, dh\nmov dl, ah\nmov si, bx\nmov bp, 0x1234\nmov bh, 0x99",
  defined: ALL,
});
add({
  name: "mov moffs forms",
  code: "mov eax, 0x11223344\nmov [0x600010], eax\nmov al, [0x600012]\nmov [0x600020], ax\nmov cx, [0x600010]\nmov ebx, [0x600020]",
  defined: ALL,
});
add({
  name: "lea addressing forms",
  code: "lea eax, [ebx+ecx*4+0x10]\nlea edx, [ecx*8]\nlea edi, [esi-1]\nlea ebp, [esp+ebp*2]\nlea si, [ebx+0x7fff]\nlea ecx, [0x12345678]",
  defined: ALL,
});
add({
  name: "xchg forms",
  code: "mov dword [esi], 7\nxchg [esi], edx\nxchg eax, ebx\nxchg cl, dh\nxchg ax, di\nxchg eax, eax",
  regs: { esi: 0x600000 },
  defined: ALL,
});
add({
  name: "xadd",
  code: "xadd eax, ebx\nmov dword [esi], 0xffffffff\nxadd [esi], ecx\nxadd dl, dl",
  regs: { eax: 0x7fffffff, ebx: 1, ecx: 1, edx: 0x80 },
  defined: ALL,
});
add({
  name: "cmpxchg equal",
  code: "mov dword [esi], 0x1234\ncmpxchg [esi], ebx",
  regs: { eax: 0x1234, ebx: 0x5678 },
  defined: ALL,
});
add({
  name: "cmpxchg not equal",
  code: "mov dword [esi], 0x1234\ncmpxchg [esi], ebx",
  regs: { eax: 0x1235, ebx: 0x5678 },
  defined: ALL,
});
add({
  name: "cmpxchg 8-bit register",
  code: "cmpxchg cl, dl",
  regs: { eax: 0x88, ecx: 0x88, edx: 0x11 },
  defined: ALL,
});
add({
  name: "lock prefixes",
  code: "mov dword [esi], 1\nlock add dword [esi], 5\nlock inc dword [esi]\nlock xadd [esi], eax\nlock bts dword [esi], 9",
  regs: { eax: 3 },
  defined: CF | ZF,
});
add({
  name: "bswap",
  code: "bswap eax\nbswap edi",
  regs: { eax: 0x11223344, edi: 0x80000001 },
  defined: ALL,
});
add({
  name: "cbw cwde cwd cdq",
  code: "cbw\nmov ebx, eax\ncwde\nmov ecx, eax\ncwd\nmov esi, edx\ncdq",
  regs: { eax: 0x12345680 },
  defined: ALL,
});
add({
  name: "cdq positive, cwd positive",
  code: "cdq\nmov ecx, edx\nmov ax, 0x7fff\ncwd",
  regs: { eax: 0x7fffffff },
  defined: ALL,
});

// ---- flags instructions.
add({ name: "lahf", code: "lahf", flags: CF | PF | AF | ZF | SF | OF, defined: ALL });
add({ name: "sahf", code: "sahf", regs: { eax: 0x00d500 }, flags: OF, defined: ALL });
add({ name: "sahf clears", code: "sahf", regs: { eax: 0x000200 }, flags: ALL, defined: ALL });
add({ name: "clc stc cmc", code: "stc\nsetc al\nclc\nsetc bl\ncmc\nsetc cl\ncmc", defined: ALL });
add({
  name: "std cld with pushfd",
  code: "std\npushfd\npop eax\ncld\npushfd\npop ebx",
  defined: ALL,
});
add({
  name: "popfd user bits",
  code: "push dword 0xfffffeff\npopfd\npushfd\npop eax\npush dword 0\npopfd",
  defined: ALL,
});
add({ name: "pushf/popf 16-bit", code: "push word 0x08d5\npopfw\npushfw\npop cx", defined: ALL });

// ---- stack.
add({
  name: "push/pop forms",
  code: "push eax\npush 0x12345678\npush -2\npush word 0x1234\npush dword [esi]\npop dword [esi+8]\npop cx\npop edx\npop ebx\npop edi",
  defined: ALL,
});
add({
  name: "push esp / pop esp",
  code: "push esp\npop eax\npush dword 0x603f00\npop esp",
  defined: ALL,
});
add({
  name: "pop [esp+4] uses incremented esp",
  code: "push dword 0x11\npush dword 0x22\npush dword 0x33\npop dword [esp+4]\npop eax\npop ebx",
  defined: ALL,
});
add({
  name: "pusha/popa",
  code: "pushad\nmov eax, 0\nmov ebx, 0\nmov ebp, 0\nadd dword [esp+12], 64\npopad",
  defined: ALL,
});
add({ name: "pushaw/popaw", code: "pushaw\nxor eax, eax\nxor ecx, ecx\npopaw", defined: ALL });
add({
  name: "enter 16, 0 / leave",
  code: "enter 16, 0\nmov ecx, esp\nmov edx, ebp\nleave",
  defined: ALL,
});
add({
  name: "enter 8, 3",
  code: "mov dword [ebp-4], 0xaaaa\nmov dword [ebp-8], 0xbbbb\nenter 8, 3\nmov ecx, [esp]\nmov edx, [esp+4]\nmov ebx, [esp+8]\nmov edi, [esp+12]",
  defined: ALL,
});
add({ name: "enter 4, 1", code: "enter 4, 1\nmov ecx, [esp+4]", defined: ALL });
add({
  name: "call/ret",
  code: "call .f\njmp .done\n.f: mov eax, [esp]\nret\n.done:",
  defined: ALL,
});
add({
  name: "ret imm16",
  code: "push dword 1\npush dword 2\ncall .f\njmp .done\n.f: ret 8\n.done:",
  defined: ALL,
});
add({
  name: "call and jmp indirect",
  code: "mov eax, .f\ncall eax\nmov [esi], eax\ncall [esi]\nmov ebx, .g\njmp ebx\nmov ecx, 99\n.g: mov edx, 7\njmp .done\n.f: inc edi\nret\n.done:",
  defined: ALL,
});

// ---- loops.
add({ name: "loop", code: "mov ecx, 5\nxor eax, eax\n.l: add eax, ecx\nloop .l", defined: ALL });
add({
  name: "loope stops on ZF=0",
  code: "mov ecx, 10\n.l: inc eax\ncmp eax, 3\nloope .l",
  regs: { eax: 2 },
  defined: ALL,
});
add({
  name: "loopne stops on ZF=1",
  code: "mov ecx, 10\n.l: inc eax\ncmp eax, 6\nloopne .l",
  regs: { eax: 2 },
  defined: ALL,
});
add({
  name: "jecxz",
  code: "xor ecx, ecx\njecxz .z\nmov eax, 1\n.z: inc ecx\njecxz .y\nmov ebx, 2\n.y:",
  defined: ALL,
});

// ---- string instructions.
const fill =
  "mov dword [esi], 0x64636261\nmov dword [esi+4], 0x68676665\nmov dword [esi+8], 0x6c6b6a69\n";
add({
  name: "rep movsb forward",
  code: `${fill}mov ecx, 9\nlea edi, [esi+32]\nrep movsb`,
  defined: ALL,
});
add({
  name: "rep movsd backward",
  code: `${fill}std\nmov ecx, 3\nlea esi, [esi+8]\nlea edi, [esi+40]\nrep movsd\ncld`,
  defined: ALL,
});
add({
  name: "rep movsw ecx=0",
  code: `${fill}xor ecx, ecx\nlea edi, [esi+32]\nrep movsw`,
  defined: ALL,
});
add({
  name: "rep stosd / stosw / stosb",
  code: "mov ecx, 3\nmov eax, 0xa1b2c3d4\nrep stosd\nstosw\nstosb",
  regs: { edi: 0x600010 },
  defined: ALL,
});
add({
  name: "lodsb lodsw lodsd",
  code: `${fill}lodsb\nmov ebx, eax\nlodsw\nmov ecx, eax\nlodsd`,
  defined: ALL,
});
add({
  name: "repe cmpsb stops at difference",
  code: `${fill}mov dword [esi+32], 0x64636261\nmov dword [esi+36], 0x68676665\nmov byte [esi+38], 0x00\nmov ecx, 12\nlea edi, [esi+32]\nrepe cmpsb`,
  defined: ALL,
});
add({
  name: "repne scasb finds byte",
  code: `${fill}mov al, 0x67\nmov ecx, 12\nmov edi, esi\nrepne scasb`,
  defined: ALL,
});
add({
  name: "repe scasd all equal",
  code: "mov dword [esi], 7\nmov dword [esi+4], 7\nmov eax, 7\nmov ecx, 2\nmov edi, esi\nrepe scasd",
  defined: ALL,
});
add({ name: "cmpsw 16-bit no rep", code: `${fill}lea edi, [esi+2]\ncmpsw`, defined: ALL });

// ---- misc.
add({
  name: "nop forms",
  code: "nop\nnop dword [eax+eax*1+0]\nnop word [eax]\nxchg ax, ax\nhint_nop55 ebx",
  regs: { eax: 0 },
  defined: ALL,
});
add({
  name: "segment override and o16 prefixes accepted",
  code: "mov eax, [ds:esi]\nmov [es:esi+4], eax\nmov bx, [ss:esi]\nmov dx, [cs:0x400000]\nes lodsb",
  defined: ALL,
});

export const instructionCases: readonly InstructionCase[] = cases;
