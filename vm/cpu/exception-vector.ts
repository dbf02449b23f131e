// x86 exception and trap vectors the CPU raises.

export const VECTOR_DIVIDE_ERROR = 0;
export const VECTOR_BREAKPOINT = 3;
export const VECTOR_OVERFLOW = 4;
export const VECTOR_INVALID_OPCODE = 6;
export const VECTOR_GENERAL_PROTECTION = 13;
export const VECTOR_PAGE_FAULT = 14;
