/**
 * A container's output as lines: its stdout and stderr followed as they come (one `logs --follow`
 * per container, not a re-read per invocation), each line whole (a line split across chunks is
 * joined, stdout and stderr never mixed within a line), shown as it arrives and kept so that one
 * invocation's part can be cut out: from the mark taken before it was sent to its REPORT line.
 */
import { ChildProcess, spawn } from 'child_process';

/** A line of output, and which stream it came on. */
export interface LogLine {
  readonly text: string;
  readonly stream: 'stdout' | 'stderr';
}

/** Lines the emulator itself writes (`… [INFO] (rapid) …`): not part of a function's log in Lambda. */
const EMULATOR_LINE = /^\S+ \S+ \S+ \S+ \[(?:INFO|WARNING|DEBUG|ERROR)\] \(rapid\)|^\d{2} \w{3} \d{4} [\d:,.]+ \[\w+\] \(rapid\)/;

export function isEmulatorLine(text: string): boolean {
  return EMULATOR_LINE.test(text);
}

/** How many lines a log keeps (older ones are dropped: a long-lived container must not grow without bound). */
const KEEP = 5000;

export class LineLog {
  private readonly lines: Array<LogLine & { readonly seq: number }> = [];
  private seq = 0;
  private readonly partial: Record<LogLine['stream'], string> = { stdout: '', stderr: '' };
  private readonly waiters: Array<() => void> = [];
  /** Where (seq) the emulator's k-th START and REPORT lines came: the k-th invocation's bounds on stdout. */
  private readonly starts: number[] = [];
  private readonly reports: number[] = [];

  constructor(private readonly show?: (line: LogLine) => void) {}

  /** Adds a chunk of a stream; complete lines are kept and shown. */
  public push(stream: LogLine['stream'], chunk: string): void {
    const text = this.partial[stream] + chunk;
    const parts = text.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const part of parts) this.add({ text: part.replace(/\r$/, ''), stream });
  }

  /** The stream ended: a last line without a newline still counts. */
  public flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.add({ text: this.partial[stream], stream });
      this.partial[stream] = '';
    }
  }

  /** Where the log stands now: what comes after belongs to what starts now. */
  public mark(): number {
    return this.seq;
  }

  /** Lines since a mark. */
  public since(mark: number): LogLine[] {
    return this.lines.filter(l => l.seq >= mark);
  }

  /**
   * The lines of a container's `n`th invocation (1-based), sent after `mark`: on stdout, from its
   * START to its REPORT line (the emulator writes them, and the function's output, on the one
   * stream, in order — even when they come late, after the next invocation began); on stderr,
   * what came from the mark to that REPORT. Waits for the REPORT at most `timeoutMs`; without one
   * (the runtime died) every line since the mark.
   */
  public async invocation(n: number, mark: number, timeoutMs: number): Promise<LogLine[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.reports.length < n && Date.now() < deadline) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    if (this.reports.length < n) return this.since(mark);
    const [start, report] = [this.starts[n - 1] ?? mark, this.reports[n - 1]];
    return this.lines.filter(l => (l.stream === 'stdout' ? l.seq >= start : l.seq >= mark) && l.seq <= report);
  }

  private add(line: LogLine): void {
    const seq = this.seq++;
    if (line.stream === 'stdout' && /^START RequestId:/.test(line.text)) this.starts.push(seq);
    if (line.stream === 'stdout' && /^REPORT RequestId:/.test(line.text)) this.reports.push(seq);
    this.lines.push({ ...line, seq });
    if (this.lines.length > KEEP) this.lines.shift();
    this.show?.(line);
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** Follows a container's output into a LineLog until the container is gone; returns the follower process. */
export function followLogs(engine: string, container: string, log: LineLog): ChildProcess {
  const child = spawn(engine, ['logs', '--follow', container], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  child.stdout!.setEncoding('utf8').on('data', (c: string) => log.push('stdout', c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => log.push('stderr', c));
  child.once('error', () => undefined);
  child.once('close', () => log.flush());
  return child;
}

/** An invocation's log as text: its own lines, without the emulator's (Lambda's log has none of them). */
export function functionLog(lines: readonly LogLine[]): string {
  return lines.filter(l => !isEmulatorLine(l.text)).map(l => `${l.text}\n`).join('');
}

/** `X-Amz-Log-Result`, as Lambda's `LogType: Tail` gives it: the last 4 KB of the invocation's log, base64. */
export function logResult(log: string, bytes = 4096): string {
  const buffer = Buffer.from(log, 'utf8');
  return buffer.subarray(Math.max(0, buffer.length - bytes)).toString('base64');
}
