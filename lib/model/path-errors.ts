/** A path that cannot hold what ipc-lab wants to put there; the message is one line naming it. */
export class PathError extends Error {
  constructor(
    message: string,
    /** The path the problem is at (the target, or the ancestor that is wrong). */
    readonly at: string,
    /** The errno code behind it, when there is one (ENOSPC, EROFS, EACCES…). */
    readonly code?: string,
    /** What is wrong at `at`, as "<at> <reason>" reads (e.g. "is a file, not a directory"), when known. */
    readonly reason?: string,
  ) {
    super(message.replace(/\s+/g, ' ').trim());
    this.name = 'PathError';
  }
}

/** Kernel pseudo-filesystems by statfs type (linux/magic.h): they hold no user files. */
export const PSEUDO_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x73636673, 'securityfs'],
  [0x1cd1, 'devpts'],
  [0x74726163, 'tracefs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
  [0x65735543, 'fusectl'],
  [0xde5e81e4, 'efivarfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0xf97cff8c, 'selinuxfs'],
  [0x19800202, 'mqueue'],
  [0x6e736673, 'nsfs'],
]);

/**
 * The kernel pseudo-filesystem an absolute path lies in by its name alone: /proc, /sys, or /dev
 * (device files; /dev/shm, the shared-memory tmpfs, is a normal place for files). Null otherwise.
 */
export function pseudoFilesystemByName(absolute: string): string | null {
  const top = absolute.split('/').filter(Boolean);
  if (top[0] === 'proc') return '/proc (procfs)';
  if (top[0] === 'sys') return '/sys (sysfs)';
  if (top[0] === 'dev' && top[1] !== 'shm') return '/dev (device files)';
  return null;
}

/** What an errno code means for a path, in a few words. */
export function describeErrno(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
      return 'no space left on its file system (ENOSPC)';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT)';
    case 'EROFS':
      return 'its file system is mounted read-only (EROFS)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied for this user${userId()} (${code})`;
    case 'ENOENT':
      return 'a directory on the way does not exist (ENOENT)';
    case 'ENOTDIR':
      return 'a file sits where a directory should be (ENOTDIR)';
    case 'EEXIST':
      return 'something else already exists there (EEXIST)';
    case 'ELOOP':
      return 'too many symlinks, or a symlink loop (ELOOP)';
    case 'ENAMETOOLONG':
      return 'the path is too long (ENAMETOOLONG)';
    case 'EIO':
      return 'an I/O error of the device (EIO)';
    case 'EMLINK':
      return 'its directory holds too many entries (EMLINK)';
    case undefined:
      return 'an unknown error';
    default:
      return code;
  }
}

export function userId(): string {
  const uid = process.getuid?.();
  return uid === undefined ? '' : ` (uid ${uid})`;
}

export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** A PathError for a failed operation on `at`: "<what> <doing> failed: <errno meaning>". */
export function pathErrorFrom(error: unknown, at: string, doing: string): PathError {
  if (error instanceof PathError) return error;
  const code = errnoOf(error);
  const meaning = code ? describeErrno(code) : String((error as Error)?.message ?? error).split('\n')[0];
  return new PathError(`cannot ${doing} ${JSON.stringify(at)}: ${meaning}`, at, code);
}
