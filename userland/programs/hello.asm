; hello: the smallest sterna program. Writes one line and exits 0; it uses only write and
; exit, so it also runs unchanged under Linux and qemu-i386.
%include "sterna.inc"

section .text
global _start
_start:
    sys_write 1, message, message_bytes
    sys_exit 0

section .data
message: db "hello from sterna", 10
message_bytes equ $ - message
