/* Control flow: a bytecode interpreter whose dense switch becomes a jump table, a sparse switch
 * (compare trees), a table of function pointers and a state machine. Exits with 200 + the
 * interpreter's final accumulator modulo 50. */
#include "../runtime/runtime.h"

enum opcode { PUSH, ADD, SUB, MUL, DUP, SWAP, JNZ, DEC, PRINT, HALT, XOR, SHL, NOP1, NOP2 };

static i32 run_program(const i32 *code) {
  i32 stack[32];
  int sp = 0, pc = 0;
  for (;;) {
    switch ((enum opcode)code[pc++]) {
    case PUSH: stack[sp++] = code[pc++]; break;
    case ADD: sp--; stack[sp - 1] += stack[sp]; break;
    case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
    case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
    case DUP: stack[sp] = stack[sp - 1]; sp++; break;
    case SWAP: { i32 t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
    case JNZ: { i32 target = code[pc++]; if (stack[--sp] != 0) pc = target; break; }
    case DEC: stack[sp - 1]--; break;
    case PRINT: put_str("vm: "); put_i32(stack[sp - 1]); put_char('\n'); break;
    case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
    case SHL: sp--; stack[sp - 1] <<= stack[sp] & 31; break;
    case NOP1: case NOP2: break;
    case HALT: return sp > 0 ? stack[sp - 1] : 0;
    default: put_str("bad opcode\n"); return -1;
    }
  }
}

static const char *sparse_name(i32 code) {
  switch (code) {
  case -1000: return "minus-thousand";
  case 7: return "seven";
  case 42: return "answer";
  case 404: return "not-found";
  case 65536: return "two-to-sixteen";
  case 0x7fffffff: return "max";
  default: return "other";
  }
}

static i32 op_add(i32 a, i32 b) { return a + b; }
static i32 op_sub(i32 a, i32 b) { return a - b; }
static i32 op_mul(i32 a, i32 b) { return a * b; }
static i32 op_div(i32 a, i32 b) { return b == 0 ? 0 : a / b; }
static i32 op_mod(i32 a, i32 b) { return b == 0 ? 0 : a % b; }
static i32 op_max(i32 a, i32 b) { return a > b ? a : b; }

static i32 (*const operations[])(i32, i32) = {op_add, op_sub, op_mul, op_div, op_mod, op_max};

/* Counts words, numbers and other characters with a switch-driven state machine. */
static void scan(const char *text) {
  enum { SPACE, WORD, NUMBER } state = SPACE;
  int words = 0, numbers = 0, others = 0;
  for (; *text; text++) {
    char c = *text;
    switch (state) {
    case SPACE:
      if (c >= '0' && c <= '9') { state = NUMBER; numbers++; }
      else if ((c | 32) >= 'a' && (c | 32) <= 'z') { state = WORD; words++; }
      else if (c != ' ') others++;
      break;
    case WORD:
      if (c == ' ') state = SPACE;
      else if (!((c | 32) >= 'a' && (c | 32) <= 'z')) others++;
      break;
    case NUMBER:
      if (c == ' ') state = SPACE;
      else if (c < '0' || c > '9') { state = WORD; words++; }
      break;
    }
  }
  put_str("scan: words=");
  put_i32(words);
  put_str(" numbers=");
  put_i32(numbers);
  put_str(" others=");
  put_i32(others);
  put_char('\n');
}

int main(void) {
  /* factorial of 10 by a loop, then some bit mixing */
  static const i32 program[] = {PUSH, 1, PUSH, 10,
                                /* 4: */ DUP, PRINT, SWAP, NOP1, PUSH, 0, ADD, SWAP, DUP,
                                /* 13 */ SWAP, NOP2, SWAP, MUL, SWAP, DEC, DUP, JNZ, 4,
                                /* 22 */ SWAP, PRINT, PUSH, 3, SHL, PUSH, 0x55aa, XOR, PRINT, HALT};
  i32 result = run_program(program);
  static const i32 codes[] = {7, 8, 42, -1000, 404, 65536, 0x7fffffff, 0};
  for (int i = 0; i < (int)(sizeof codes / sizeof codes[0]); i++) {
    put_i32(codes[i]);
    put_str(" -> ");
    put_str(sparse_name(codes[i]));
    put_char('\n');
  }
  i32 accumulator = 1000;
  for (int i = 0; i < 30; i++) {
    accumulator = operations[i % 6](accumulator, i * 7 - 50);
    put_str("op ");
    put_i32(i % 6);
    put_str(" -> ");
    put_i32(accumulator);
    put_char('\n');
  }
  scan("the 3 quick foxes jumped 42 times over 7 lazy dogs, twice!");
  return 200 + (int)((u32)(result ^ accumulator) % 50u);
}
