/* Recursion: Fibonacci, Ackermann, Towers of Hanoi, N-queens, permutations, mutual recursion
 * and a deep (20000 frames) recursion that grows the stack over several pages. */
#include "../runtime/runtime.h"

static u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static u32 ackermann(u32 m, u32 n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

static u32 hanoi_moves;
static u32 hanoi_trace;
static void hanoi(int disks, int from, int to, int via) {
  if (disks == 0) return;
  hanoi(disks - 1, from, via, to);
  hanoi_moves++;
  hanoi_trace = hanoi_trace * 3 + (u32)(from * 4 + to);
  hanoi(disks - 1, via, to, from);
}

static int queens(int row, int n, u32 columns, u32 diagonals, u32 anti) {
  if (row == n) return 1;
  int count = 0;
  for (int col = 0; col < n; col++) {
    u32 c = 1u << col, d = 1u << (row + col), a = 1u << (row - col + n);
    if ((columns & c) || (diagonals & d) || (anti & a)) continue;
    count += queens(row + 1, n, columns | c, diagonals | d, anti | a);
  }
  return count;
}

static u32 permutation_sum;
static void permute(char *items, int k, int n) {
  if (k == n) {
    u32 value = 0;
    for (int i = 0; i < n; i++) value = value * 10 + (u32)(items[i] - '0');
    permutation_sum += value;
    return;
  }
  for (int i = k; i < n; i++) {
    char t = items[k];
    items[k] = items[i];
    items[i] = t;
    permute(items, k + 1, n);
    items[i] = items[k];
    items[k] = t;
  }
}

static int is_odd(u32 n);
static int is_even(u32 n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(u32 n) { return n == 0 ? 0 : is_even(n - 1); }

static u32 deep(u32 depth, u32 accumulator) {
  volatile u32 frame[8];
  frame[depth & 7] = accumulator;
  if (depth == 0) return accumulator;
  return deep(depth - 1, accumulator * 33 + depth) + frame[depth & 7] % 7;
}

int main(void) {
  put_line("fib(24)", fib(24));
  put_line("ackermann(2,3)", ackermann(2, 3));
  put_line("ackermann(3,4)", ackermann(3, 4));
  hanoi(12, 1, 3, 2);
  put_line("hanoi moves", hanoi_moves);
  put_line("hanoi trace", hanoi_trace);
  for (int n = 4; n <= 8; n++) {
    put_str("queens ");
    put_i32(n);
    put_str(": ");
    put_i32(queens(0, n, 0, 0, 0));
    put_char('\n');
  }
  char digits[] = "123456";
  permute(digits, 0, 6);
  put_line("permutation sum", permutation_sum);
  put_line("is_even(777)", is_even(777));
  put_line("deep", deep(20000, 1));
  return 0;
}
