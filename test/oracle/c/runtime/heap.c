/* A tiny first-fit heap over the brk syscall: blocks carry a size header, freed blocks go on a
 * list and are reused (split when much larger), and the break grows in 16 KiB steps. */
#include "runtime.h"

struct block {
  size_t size; /* payload bytes */
  struct block *next_free;
};

static u8 *heap_start;
static u8 *heap_end;
static u8 *heap_top;
static struct block *free_list;

enum { HEADER_BYTES = sizeof(struct block), GROW_BYTES = 16384 };

static size_t round_up(size_t size) { return (size + 7u) & ~7u; }

static int grow(size_t needed) {
  if (heap_start == 0) {
    heap_start = heap_end = heap_top = (u8 *)sys_brk(0);
  }
  size_t grow_by = (needed + GROW_BYTES - 1) / GROW_BYTES * GROW_BYTES;
  u8 *wanted = heap_end + grow_by;
  u8 *got = (u8 *)sys_brk(wanted);
  if (got != wanted) return 0;
  heap_end = got;
  return 1;
}

void *heap_alloc(size_t size) {
  size = round_up(size == 0 ? 1 : size);
  struct block **link = &free_list;
  while (*link) {
    struct block *candidate = *link;
    if (candidate->size >= size) {
      if (candidate->size >= size + HEADER_BYTES + 16) {
        struct block *rest = (struct block *)((u8 *)(candidate + 1) + size);
        rest->size = candidate->size - size - HEADER_BYTES;
        rest->next_free = candidate->next_free;
        candidate->size = size;
        *link = rest;
      } else {
        *link = candidate->next_free;
      }
      return candidate + 1;
    }
    link = &candidate->next_free;
  }
  if (heap_start == 0 || (size_t)(heap_end - heap_top) < size + HEADER_BYTES) {
    if (!grow(size + HEADER_BYTES)) return 0;
  }
  struct block *fresh = (struct block *)heap_top;
  fresh->size = size;
  fresh->next_free = 0;
  heap_top += HEADER_BYTES + size;
  return fresh + 1;
}

void heap_free(void *pointer) {
  if (pointer == 0) return;
  struct block *freed = (struct block *)pointer - 1;
  freed->next_free = free_list;
  free_list = freed;
}

size_t heap_footprint(void) { return (size_t)(heap_end - heap_start); }
