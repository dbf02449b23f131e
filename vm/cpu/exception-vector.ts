// x86 exception and trap vectors the CPU raises.

export const VECTOR_DIVIDE_ERROR = 0;
/** #DB: here only the single-step trap of EFLAGS.TF (eip after the instruction). */
export const VECTOR_DEBUG = 1;
export const VECTOR_BREAKPOINT = 3;
export const VECTOR_OVERFLOW = 4;
/** #BR: bound found the index out of range. */
export const VECTOR_BOUND_RANGE = 5;
export const VECTOR_INVALID_OPCODE = 6;
export const VECTOR_GENERAL_PROTECTION = 13;
export const VECTOR_PAGE_FAULT = 14;
