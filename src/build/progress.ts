/**
 * Progress of a long build: on a terminal one live status line (phase, count, rate, time left) for
 * the running phases and a line per finished phase; in CI logs and pipes nothing (the build's
 * summary says what happened); `lines` mode is for tools that want the phase timings.
 */
export interface PhaseHandle {
  /** Set the number done so far. */
  update(done: number): void;
  /** The phase is over; prints its line when not on a terminal. */
  end(note?: string): void;
}

interface Phase {
  name: string;
  total: number;
  done: number;
  started: number;
}

export class Progress {
  private readonly phases = new Map<string, Phase>();
  private timer: NodeJS.Timeout | null = null;
  private lastLine = '';

  constructor(
    private readonly mode: 'tty' | 'lines' | 'quiet',
    private readonly write: (text: string) => void = (text) => process.stderr.write(text),
  ) {}

  static forStream(stream: NodeJS.WriteStream, quiet: boolean): Progress {
    if (quiet) return new Progress('quiet');
    if (process.env.KB_PROGRESS === 'lines') return new Progress('lines', (text) => stream.write(text));
    return new Progress(stream.isTTY && !process.env.CI ? 'tty' : 'quiet', (text) => stream.write(text));
  }

  start(name: string, total: number): PhaseHandle {
    const phase: Phase = { name, total, done: 0, started: performance.now() };
    this.phases.set(name, phase);
    if (this.mode === 'tty' && !this.timer) {
      this.timer = setInterval(() => this.draw(), 250);
      this.timer.unref();
    }
    return {
      update: (done) => {
        phase.done = done;
      },
      end: (note) => {
        phase.done = phase.total;
        this.phases.delete(name);
        const seconds = (performance.now() - phase.started) / 1000;
        const line = `[kb] ${name}: ${phase.total.toLocaleString('en-US')} in ${seconds.toFixed(1)} s${note ? ` (${note})` : ''}`;
        if (this.mode === 'tty') {
          this.clear();
          this.write(`${line}\n`);
          if (!this.phases.size && this.timer) {
            clearInterval(this.timer);
            this.timer = null;
          }
        } else if (this.mode === 'lines') {
          this.write(`${line}\n`);
        }
      },
    };
  }

  /** One running phase as text: `render 12,345/60,000 · 812/s · 58 s left`. */
  static describe(phase: { name: string; total: number; done: number }, elapsedSeconds: number): string {
    const rate = elapsedSeconds > 0 ? phase.done / elapsedSeconds : 0;
    const left = rate > 0 ? Math.ceil((phase.total - phase.done) / rate) : null;
    const fmt = (n: number) => n.toLocaleString('en-US');
    return `${phase.name} ${fmt(phase.done)}/${fmt(phase.total)}${rate ? ` · ${fmt(Math.round(rate))}/s` : ''}${left !== null ? ` · ${left} s left` : ''}`;
  }

  private draw(): void {
    const now = performance.now();
    const line = `[kb] ${[...this.phases.values()].map((p) => Progress.describe(p, (now - p.started) / 1000)).join(' | ')}`;
    this.clear();
    this.write(line.slice(0, (process.stderr.columns || 120) - 1));
    this.lastLine = line;
  }

  private clear(): void {
    if (this.lastLine) this.write('\r\x1b[K');
    this.lastLine = '';
  }
}
