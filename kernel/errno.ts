// Error numbers returned (negated) in eax, with Linux i386's values as ABI v1 requires.

export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EIO: 5,
  E2BIG: 7,
  ENOEXEC: 8,
  EBADF: 9,
  ECHILD: 10,
  EAGAIN: 11,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  EISDIR: 21,
  EINVAL: 22,
  ENOSPC: 28,
  EPIPE: 32,
  ENAMETOOLONG: 36,
  ENOSYS: 38,
  EMSGSIZE: 90,
  ETIMEDOUT: 110,
} as const;
