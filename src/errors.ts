/**
 * Typed errors. Everything a user can cause (bad content, bad flags) is a KbError; the CLI prints
 * its message as one line per problem and exits non-zero, with a stack trace only under --debug.
 * Anything else is a bug in kbsite and is reported as such.
 */
export class KbError extends Error {
  /** Process exit code the CLI uses for this kind of failure. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where in the content a problem is, and what to do about it. */
export interface ProblemLocation {
  /** Path as the user would type it, relative to the working directory. */
  file: string;
  /** 1-based line in that file, when known. */
  line?: number;
  /** Dotted path of the offending field, e.g. `published` or `tables[0].files[2].size`. */
  field?: string;
}

export interface Problem extends ProblemLocation {
  /** What is wrong and what is expected, written for a person, e.g.
   *  `"published" must be a date like 2013-01-03 (got "3 Jan")`. */
  message: string;
}

/** `content/kb/1/index.md:4: "published" must be …` */
export function formatProblem(problem: Problem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${problem.message}`;
}

/** One or more problems in the content; the build collects them all before failing. */
export class ContentError extends KbError {
  override readonly exitCode = 2;
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    const lines = problems.map(formatProblem);
    const head = problems.length === 1 ? '' : `${problems.length} problems in the content:\n`;
    super(head + lines.join('\n'));
    this.problems = problems;
  }
}

/** Bad command-line usage. */
export class UsageError extends KbError {
  override readonly exitCode = 64;
}

/**
 * What a file system says when kb cannot write (or read) where it must, and what to do about each:
 * the machine's problem, not kbsite's, so `kb` says it that way (exit code 74, EX_IOERR) instead
 * of calling it an internal error.
 */
const FILE_SYSTEM_FAILURES: Record<string, { what: string; advice: string }> = {
  ENOSPC: { what: 'no space left on the device', advice: 'free space on that disk (a full build needs room for the new site beside the old one), or build into a folder on another disk with --output' },
  EDQUOT: { what: 'the disk quota is used up', advice: 'free space within your quota, or build into a folder on another disk with --output' },
  EFBIG: { what: 'the file is larger than the file system allows', advice: 'build into a folder on another file system with --output' },
  EACCES: { what: 'permission denied', advice: 'check the permissions of that folder, or build into a folder you may write with --output' },
  EPERM: { what: 'operation not permitted', advice: 'check the permissions of that folder, or build into a folder you may write with --output' },
  EROFS: { what: 'the file system is read-only', advice: 'build into a folder on a writable file system with --output' },
  EMFILE: { what: 'too many open files', advice: 'raise the limit of open files (ulimit -n) and run it again' },
  ENFILE: { what: 'the system has too many open files', advice: 'close other programs or raise the system limit of open files, and run it again' },
  EIO: { what: 'the disk reported an input/output error', advice: "check the disk (its system log), or build into a folder on another disk with --output" },
};

/** A failure of the file system found in an error: what the system said, and what to do about it. */
export interface FileSystemFailure {
  code: string;
  /** The file, when the failing call named one (a write to an open file names none). */
  path?: string;
  /** e.g. `no space left on the device (ENOSPC)` */
  what: string;
  advice: string;
}

/**
 * An error and the errors it wraps, outermost first: Eleventy keeps what it caught in
 * `originalError`, everything else in `cause`. At most 10, so a chain that loops ends.
 */
export function errorChain(error: unknown): Array<{ message?: unknown; code?: unknown; path?: unknown }> {
  const chain: Array<{ message?: unknown; code?: unknown; path?: unknown; cause?: unknown; originalError?: unknown }> = [];
  for (let e = error as (typeof chain)[number] | undefined; e && chain.length < 10; e = (e.originalError ?? e.cause) as typeof e) chain.push(e);
  return chain;
}

/** The first error in `error`'s chain with a file system's code, as `{ code, path }` (a worker thread sends these with its failure). */
export function fileSystemCode(error: unknown): { code?: string; path?: string } {
  const coded = errorChain(error).find((e) => typeof e.code === 'string');
  return coded ? { code: coded.code as string, ...(typeof coded.path === 'string' ? { path: coded.path } : {}) } : {};
}

/** The file system's failure inside `error`, if it is one of the above. */
export function fileSystemFailure(error: unknown): FileSystemFailure | null {
  for (const e of errorChain(error)) {
    const known = typeof e.code === 'string' ? FILE_SYSTEM_FAILURES[e.code] : undefined;
    if (known) return { code: e.code as string, ...(typeof e.path === 'string' ? { path: e.path } : {}), what: `${known.what} (${e.code})`, advice: known.advice };
  }
  return null;
}

/** The exit code of a failure of the file system (sysexits.h's EX_IOERR). */
export const FILE_SYSTEM_EXIT_CODE = 74;
