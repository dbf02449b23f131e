/* The brk heap at work: blocks freed and reused (after the first round the footprint must stop
 * growing); a linked list built, reversed and freed; a binary search tree with in-order
 * traversal; growth of the break over many pages. */
#include "../runtime/runtime.h"

struct node {
  struct node *next;
  i32 value;
};

struct tree {
  struct tree *left, *right;
  u32 key;
  u32 count;
};

static struct tree *insert(struct tree *root, u32 key) {
  if (root == 0) {
    struct tree *fresh = heap_alloc(sizeof *fresh);
    fresh->left = fresh->right = 0;
    fresh->key = key;
    fresh->count = 1;
    return fresh;
  }
  if (key < root->key) root->left = insert(root->left, key);
  else if (key > root->key) root->right = insert(root->right, key);
  else root->count++;
  return root;
}

static u32 walk_sum;
static u32 walk_nodes;
static void walk(const struct tree *root, u32 depth) {
  if (!root) return;
  walk(root->left, depth + 1);
  walk_sum = walk_sum * 7 + root->key * root->count + depth;
  walk_nodes++;
  walk(root->right, depth + 1);
}

static void free_tree(struct tree *root) {
  if (!root) return;
  free_tree(root->left);
  free_tree(root->right);
  heap_free(root);
}

int main(void) {
  size_t before = 0;
  for (int round = 0; round < 20; round++) {
    if (round == 1) before = heap_footprint();
    u8 *blocks[16];
    for (int i = 0; i < 16; i++) {
      blocks[i] = heap_alloc((size_t)(16 + i * 24));
      memset(blocks[i], round + i, (size_t)(16 + i * 24));
    }
    for (int i = 15; i >= 0; i--) heap_free(blocks[i]);
  }
  put_line("reuse kept footprint", heap_footprint() == before);

  struct node *list = 0;
  for (i32 i = 0; i < 1000; i++) {
    struct node *n = heap_alloc(sizeof *n);
    n->value = i * i - 500;
    n->next = list;
    list = n;
  }
  struct node *reversed = 0;
  while (list) {
    struct node *next = list->next;
    list->next = reversed;
    reversed = list;
    list = next;
  }
  i64 total = 0;
  i32 first = reversed->value;
  for (struct node *n = reversed; n; n = n->next) total += n->value;
  put_line("list first", first);
  put_line("list total", total);

  u32 seed = 99;
  struct tree *root = 0;
  for (int i = 0; i < 3000; i++) {
    seed = seed * 1664525u + 1013904223u;
    root = insert(root, (seed >> 20) % 1500);
  }
  walk(root, 0);
  put_line("tree nodes", walk_nodes);
  put_line("tree walk", walk_sum);
  free_tree(root);
  while (reversed) {
    struct node *next = reversed->next;
    heap_free(reversed);
    reversed = next;
  }

  u8 *large = heap_alloc(300000);
  for (int i = 0; i < 300000; i += 4096) large[i] = (u8)(i >> 12);
  u32 sum = 0;
  for (int i = 0; i < 300000; i += 4096) sum += large[i];
  put_line("large block sum", sum);
  put_line("footprint pages", (i64)(heap_footprint() / 4096));
  return 0;
}
