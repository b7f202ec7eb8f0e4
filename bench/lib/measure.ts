/**
 * Run a command as a child process and measure it: wall time, and peak memory as the resident set
 * (VmRSS) summed over the child and all its descendants, sampled from /proc every 100 ms. Both
 * tools spawn helpers (Pagefind's Node API and its CLI wrapper start the Rust `pagefind` binary),
 * and their memory belongs to the build, so the whole process tree is counted. Linux only.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

export interface Measured {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** Highest sum of VmRSS over the process tree in any sample, in bytes. */
  peakRssBytes: number;
  /** Most processes seen at once in the tree (1 = the child alone). */
  peakProcesses: number;
  samples: number;
  /**
   * CPU time (user + system) of the child and its descendants, in ms: less disturbed than wall
   * time when other work shares the machine.
   */
  cpuMs: number;
  /**
   * CPU time the rest of the machine used meanwhile, in ms: all CPUs' busy time (/proc/stat) less
   * the run's own (`cpuMs`) and the bench's. The load average cannot tell this: it counts the run
   * itself, whose build keeps three processes busy on 2 CPUs.
   */
  otherCpuMs: number;
  /** The last 64 KB of the child's stdout and stderr, for messages and counts. */
  outputTail: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr of the child go here (appended), so the bench output stays readable. */
  logFile: string;
  sampleEveryMs?: number;
}

export async function runMeasured(command: string, args: string[], options: RunOptions): Promise<Measured> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n$ ${[command, ...args].join(' ')}\n`);
  const cpuBefore = await childrenCpuMs();
  const machineBefore = await machineBusyMs();
  const benchBefore = process.cpuUsage();
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let outputTail = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(log, { end: false });
    stream.on('data', (chunk: Buffer) => {
      outputTail = (outputTail + chunk.toString()).slice(-65536);
    });
  }
  let peakRssBytes = 0;
  let peakProcesses = 0;
  let samples = 0;
  let sampling = false;
  const lastCpuTicks = new Map<number, number>();
  const sample = async (): Promise<void> => {
    if (sampling || child.pid === undefined) return; // a slow /proc walk never overlaps the next
    sampling = true;
    try {
      const pids = await processTree(child.pid);
      let sum = 0;
      for (const pid of pids) {
        sum += await rssBytes(pid);
        const ticks = await ownCpuTicks(pid);
        if (ticks !== null) lastCpuTicks.set(pid, ticks);
      }
      samples++;
      peakRssBytes = Math.max(peakRssBytes, sum);
      peakProcesses = Math.max(peakProcesses, pids.length);
    } finally {
      sampling = false;
    }
  };
  let exitedAt: number | undefined;
  const timer = setInterval(() => void sample(), options.sampleEveryMs ?? 100);
  void sample();
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => (exitedAt = performance.now()));
    child.once('close', (code, sig) => resolve([code, sig])); // after its output has been read
  });
  const wallMs = (exitedAt ?? performance.now()) - started;
  clearInterval(timer);
  await new Promise<void>((resolve) => log.end(resolve));
  // A helper its parent never waited for (killed at exit) is missing from cutime; the samples
  // have its time up to the last 100 ms. The larger of the two is the better lower bound.
  const sampledCpuMs = ([...lastCpuTicks.values()].reduce((a, b) => a + b, 0) * 1000) / CLOCK_TICKS_PER_SECOND;
  const cpuMs = Math.max((await childrenCpuMs()) - cpuBefore, sampledCpuMs);
  const bench = process.cpuUsage(benchBefore);
  const otherCpuMs = Math.max(0, (await machineBusyMs()) - machineBefore - cpuMs - (bench.user + bench.system) / 1000);
  return { exitCode, signal, wallMs, peakRssBytes, peakProcesses, samples, cpuMs, otherCpuMs, outputTail };
}

/** Busy time of all CPUs since boot (user, nice, system, irq, softirq, steal; not idle or iowait), from /proc/stat. */
async function machineBusyMs(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user! + nice! + system! + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 1000) / CLOCK_TICKS_PER_SECOND;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on (`getconf CLK_TCK`)

/**
 * cutime + cstime of this process: the CPU time of its children that have been waited for (and of
 * their waited-for descendants). Runs are sequential, so the difference around one run is that run.
 */
async function childrenCpuMs(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SECOND; // fields 16 and 17
}

/** The pid and all its descendants, found through /proc/<pid>/task/<tid>/children. */
async function processTree(root: number): Promise<number[]> {
  const seen: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    seen.push(pid);
    // A process's children are listed per thread (the thread that forked them).
    const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
    for (const tid of tasks) {
      const text = await readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '');
      for (const child of text.split(' ')) if (child.trim()) queue.push(Number(child));
    }
  }
  return seen;
}

/** utime + stime of one process (its own threads, not its children). */
async function ownCpuTicks(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // fields 14 and 15
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0; // gone between listing and reading, or a zombie: nothing resident
}
