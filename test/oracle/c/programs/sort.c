/* Sorting: insertion sort, quicksort (recursive, median of three), merge sort on the heap and
 * a generic sort through a comparator function pointer, over pseudo-random arrays. */
#include "../runtime/runtime.h"

enum { COUNT = 600 };

static u32 lcg_state = 12345;
static u32 next_random(void) {
  lcg_state = lcg_state * 1103515245u + 12345u;
  return lcg_state >> 8;
}

static void fill(i32 *values, int count, int modulus) {
  for (int i = 0; i < count; i++) values[i] = (i32)(next_random() % (u32)modulus) - modulus / 2;
}

static void insertion_sort(i32 *values, int count) {
  for (int i = 1; i < count; i++) {
    i32 key = values[i];
    int j = i - 1;
    while (j >= 0 && values[j] > key) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = key;
  }
}

static void swap(i32 *a, i32 *b) {
  i32 t = *a;
  *a = *b;
  *b = t;
}

static void quick_sort(i32 *values, int low, int high) {
  while (low < high) {
    int mid = low + (high - low) / 2;
    if (values[mid] < values[low]) swap(&values[mid], &values[low]);
    if (values[high] < values[low]) swap(&values[high], &values[low]);
    if (values[mid] < values[high]) swap(&values[mid], &values[high]);
    i32 pivot = values[high];
    int store = low;
    for (int i = low; i < high; i++) {
      if (values[i] < pivot) swap(&values[i], &values[store++]);
    }
    swap(&values[store], &values[high]);
    if (store - low < high - store) {
      quick_sort(values, low, store - 1);
      low = store + 1;
    } else {
      quick_sort(values, store + 1, high);
      high = store - 1;
    }
  }
}

static void merge_sort(i32 *values, i32 *scratch, int count) {
  if (count < 2) return;
  int half = count / 2;
  merge_sort(values, scratch, half);
  merge_sort(values + half, scratch, count - half);
  int i = 0, j = half, k = 0;
  while (i < half && j < count) scratch[k++] = values[i] <= values[j] ? values[i++] : values[j++];
  while (i < half) scratch[k++] = values[i++];
  while (j < count) scratch[k++] = values[j++];
  for (k = 0; k < count; k++) values[k] = scratch[k];
}

typedef int (*comparator)(const void *, const void *);

static int by_value_descending(const void *a, const void *b) {
  i32 x = *(const i32 *)a, y = *(const i32 *)b;
  return (x < y) - (x > y);
}

static int by_low_byte(const void *a, const void *b) {
  return (int)(*(const u32 *)a & 0xff) - (int)(*(const u32 *)b & 0xff);
}

/* Shell sort on elements of `size` bytes through a comparator. */
static void generic_sort(void *base, int count, size_t size, comparator compare) {
  u8 *bytes = base;
  u8 temp[16];
  for (int gap = count / 2; gap > 0; gap /= 2) {
    for (int i = gap; i < count; i++) {
      memcpy(temp, bytes + (size_t)i * size, size);
      int j = i;
      while (j >= gap && compare(bytes + (size_t)(j - gap) * size, temp) > 0) {
        memcpy(bytes + (size_t)j * size, bytes + (size_t)(j - gap) * size, size);
        j -= gap;
      }
      memcpy(bytes + (size_t)j * size, temp, size);
    }
  }
}

static u32 checksum(const i32 *values, int count) {
  u32 sum = 0;
  for (int i = 0; i < count; i++) sum = sum * 31u + (u32)values[i];
  return sum;
}

static int sorted(const i32 *values, int count, comparator compare) {
  for (int i = 1; i < count; i++) {
    if (compare(&values[i - 1], &values[i]) > 0) return 0;
  }
  return 1;
}

static int ascending(const void *a, const void *b) {
  i32 x = *(const i32 *)a, y = *(const i32 *)b;
  return (x > y) - (x < y);
}

static void report(const char *name, const i32 *values, int count, comparator order) {
  put_str(name);
  put_str(": sorted=");
  put_i32(sorted(values, count, order));
  put_str(" first=");
  put_i32(values[0]);
  put_str(" last=");
  put_i32(values[count - 1]);
  put_str(" sum=");
  put_hex(checksum(values, count), 8);
  put_char('\n');
}

int main(void) {
  static i32 values[COUNT];
  fill(values, COUNT, 2000);
  insertion_sort(values, COUNT);
  report("insertion", values, COUNT, ascending);

  fill(values, COUNT, 1 << 30);
  quick_sort(values, 0, COUNT - 1);
  report("quick", values, COUNT, ascending);

  fill(values, COUNT, 100);
  i32 *scratch = heap_alloc(sizeof(i32) * COUNT);
  merge_sort(values, scratch, COUNT);
  heap_free(scratch);
  report("merge", values, COUNT, ascending);

  fill(values, COUNT, 70000);
  generic_sort(values, COUNT, sizeof(i32), by_value_descending);
  report("descending", values, COUNT, by_value_descending);

  fill(values, COUNT, 1 << 20);
  generic_sort(values, COUNT, sizeof(i32), by_low_byte);
  report("low-byte", values, COUNT, by_low_byte);
  return 0;
}
