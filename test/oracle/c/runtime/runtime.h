/* The freestanding runtime the oracle C programs link with: Linux i386 syscalls through
 * int 0x80 (exit, write, brk), buffered stdout, number printing and a brk heap. No libc: the
 * programs are built -nostdlib -ffreestanding, and gcc may still call memcpy/memset/memmove/
 * memcmp, so those are here too. */
#ifndef STERNA_ORACLE_RUNTIME_H
#define STERNA_ORACLE_RUNTIME_H

typedef unsigned int size_t;
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;

/* syscalls.c */
int sys_write(int fd, const void *buffer, size_t length);
void *sys_brk(void *end);
void sys_exit(int status) __attribute__((noreturn));

/* print.c: everything goes through one stdout buffer, flushed when full and at exit. */
void put_char(char c);
void put_str(const char *text);
void put_u32(u32 value);
void put_i32(i32 value);
void put_u64(u64 value);
void put_i64(i64 value);
/* Hex with at least `digits` digits (zero padded). */
void put_hex(u64 value, int digits);
/* Right-aligned decimal in a field of `width` characters. */
void put_padded(i32 value, int width);
void put_line(const char *label, i64 value);
void flush_stdout(void);

/* heap.c: first-fit allocator over brk. */
void *heap_alloc(size_t size);
void heap_free(void *block);
/* Bytes the heap has taken from brk so far. */
size_t heap_footprint(void);

/* memory.c */
void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
void *memset(void *dest, int value, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* The program's entry: its return value is the exit status. */
int main(void);

#endif
