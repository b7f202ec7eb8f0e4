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
