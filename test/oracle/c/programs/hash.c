/* Hashing: FNV-1a (32 and 64 bit), CRC-32 bitwise and table-driven, djb2, Adler-32 and a
 * MurmurHash3-style 32-bit mixer (rotates, multiplies). Exits with a status derived from the
 * CRC, so a wrong CRC also shows in the status. */
#include "../runtime/runtime.h"

static u32 fnv1a32(const u8 *data, size_t length) {
  u32 hash = 2166136261u;
  for (size_t i = 0; i < length; i++) hash = (hash ^ data[i]) * 16777619u;
  return hash;
}

static u64 fnv1a64(const u8 *data, size_t length) {
  u64 hash = 14695981039346656037ull;
  for (size_t i = 0; i < length; i++) hash = (hash ^ data[i]) * 1099511628211ull;
  return hash;
}

static u32 crc32_bitwise(const u8 *data, size_t length) {
  u32 crc = 0xffffffffu;
  for (size_t i = 0; i < length; i++) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static u32 crc_table[256];

static void crc32_init(void) {
  for (u32 n = 0; n < 256; n++) {
    u32 c = n;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}

static u32 crc32_table(const u8 *data, size_t length) {
  u32 crc = 0xffffffffu;
  for (size_t i = 0; i < length; i++) crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static u32 djb2(const u8 *data, size_t length) {
  u32 hash = 5381;
  for (size_t i = 0; i < length; i++) hash = ((hash << 5) + hash) + data[i];
  return hash;
}

static u32 adler32(const u8 *data, size_t length) {
  u32 a = 1, b = 0;
  for (size_t i = 0; i < length; i++) {
    a = (a + data[i]) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}

static u32 rotl32(u32 x, int r) { return (x << r) | (x >> (32 - r)); }

static u32 murmur_mix(const u8 *data, size_t length, u32 seed) {
  u32 h = seed;
  size_t blocks = length / 4;
  for (size_t i = 0; i < blocks; i++) {
    u32 k = (u32)data[4 * i] | (u32)data[4 * i + 1] << 8 | (u32)data[4 * i + 2] << 16 |
            (u32)data[4 * i + 3] << 24;
    k *= 0xcc9e2d51u;
    k = rotl32(k, 15);
    k *= 0x1b873593u;
    h ^= k;
    h = rotl32(h, 13);
    h = h * 5 + 0xe6546b64u;
  }
  u32 tail = 0;
  for (size_t i = length & ~3u; i < length; i++) tail |= (u32)data[i] << (8 * (i & 3));
  h ^= tail * 0xcc9e2d51u;
  h ^= (u32)length;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static size_t length_of(const char *text) {
  size_t n = 0;
  while (text[n]) n++;
  return n;
}

int main(void) {
  static const char *inputs[] = {"", "a", "abc", "message digest", "The quick brown fox jumps over the lazy dog",
                                 "123456789"};
  crc32_init();
  u32 combined = 0;
  for (int i = 0; i < (int)(sizeof inputs / sizeof inputs[0]); i++) {
    const u8 *data = (const u8 *)inputs[i];
    size_t length = length_of(inputs[i]);
    u32 crc = crc32_table(data, length);
    put_str("\"");
    put_str(inputs[i]);
    put_str("\" fnv32=");
    put_hex(fnv1a32(data, length), 8);
    put_str(" fnv64=");
    put_hex(fnv1a64(data, length), 16);
    put_str(" crc=");
    put_hex(crc, 8);
    put_str(crc == crc32_bitwise(data, length) ? " same" : " DIFFERENT");
    put_str(" djb2=");
    put_hex(djb2(data, length), 8);
    put_str(" adler=");
    put_hex(adler32(data, length), 8);
    put_str(" murmur=");
    put_hex(murmur_mix(data, length, (u32)i), 8);
    put_char('\n');
    combined ^= crc;
  }
  static u8 block[4096];
  for (int i = 0; i < 4096; i++) block[i] = (u8)(i * 7 + (i >> 5));
  u32 block_crc = crc32_table(block, sizeof block);
  put_str("block crc=");
  put_hex(block_crc, 8);
  put_str(" fnv64=");
  put_hex(fnv1a64(block, sizeof block), 16);
  put_char('\n');
  combined ^= block_crc;
  return (int)(combined % 250u) + 1;
}
