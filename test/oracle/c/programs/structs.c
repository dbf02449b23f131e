/* Structures: copies by assignment (gcc emits rep movs or memcpy), passing and returning large
 * structures by value, arrays of structures, nested structures, bit-fields and unions. Exits 3. */
#include "../runtime/runtime.h"

struct point {
  i32 x, y;
};

struct shape {
  char name[12];
  struct point corners[4];
  u16 colour;
  u8 flags;
  i64 area;
};

struct packed_bits {
  u32 low : 5;
  u32 mid : 11;
  u32 high : 16;
};

union word {
  u32 value;
  u8 bytes[4];
  struct packed_bits bits;
};

static struct shape make_square(const char *name, i32 x, i32 y, i32 side) {
  struct shape s;
  int i = 0;
  for (; name[i] && i < 11; i++) s.name[i] = name[i];
  for (; i < 12; i++) s.name[i] = 0;
  s.corners[0] = (struct point){x, y};
  s.corners[1] = (struct point){x + side, y};
  s.corners[2] = (struct point){x + side, y + side};
  s.corners[3] = (struct point){x, y + side};
  s.colour = (u16)(side * 1000);
  s.flags = (u8)side;
  s.area = (i64)side * side;
  return s;
}

static struct shape translate(struct shape s, struct point by) {
  for (int i = 0; i < 4; i++) {
    s.corners[i].x += by.x;
    s.corners[i].y += by.y;
  }
  s.flags |= 0x80;
  return s;
}

static void print_shape(const struct shape *s) {
  put_str(s->name);
  for (int i = 0; i < 4; i++) {
    put_str(" (");
    put_i32(s->corners[i].x);
    put_char(',');
    put_i32(s->corners[i].y);
    put_char(')');
  }
  put_str(" colour=");
  put_u32(s->colour);
  put_str(" flags=");
  put_hex(s->flags, 2);
  put_str(" area=");
  put_i64(s->area);
  put_char('\n');
}

int main(void) {
  struct shape shapes[5];
  shapes[0] = make_square("unit", 0, 0, 1);
  shapes[1] = make_square("big", -100, 50, 70000);
  shapes[2] = translate(shapes[1], (struct point){3, -4});
  shapes[3] = shapes[2];
  shapes[3].name[0] = 'B';
  struct shape copies[5];
  memcpy(copies, shapes, sizeof shapes);
  copies[4] = translate(make_square("moved-square", 1, 2, 3), copies[0].corners[2]);
  for (int i = 0; i < 5; i++) print_shape(&copies[i]);
  put_line("size", sizeof(struct shape));
  put_line("equal copy", memcmp(&shapes[2], &copies[2], sizeof(struct shape)) == 0);

  union word w;
  w.value = 0xdeadbeefu;
  put_str("bytes");
  for (int i = 0; i < 4; i++) {
    put_char(' ');
    put_hex(w.bytes[i], 2);
  }
  put_str(" bits ");
  put_u32(w.bits.low);
  put_char(' ');
  put_u32(w.bits.mid);
  put_char(' ');
  put_u32(w.bits.high);
  put_char('\n');
  w.bits.mid = 0x5a5;
  w.bits.low = 31;
  put_str("after bit-field stores ");
  put_hex(w.value, 8);
  put_char('\n');
  return 3;
}
