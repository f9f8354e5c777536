/**
 * Where the CLI writes: stdout and stderr, guarded against a reader that went away. A closed pipe
 * (`| head`, a closed terminal) turns the stream's writes into no-ops instead of an unhandled
 * `'error'` that would kill the process — and with it a server's containers: a one-shot command
 * finishes quietly, a local endpoint keeps serving (and still removes its containers on Ctrl-C).
 */

const broken = new Set<NodeJS.WriteStream>();
let guarded = false;

/** Where the CLI writes: the result on `out`, logs, progress and errors on `err`. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Makes EPIPE (and any other write error) on stdout and stderr stop the writes, not the process. */
export function guardOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  if (guarded && streams.length === 2) return;
  guarded = true;
  for (const stream of streams) {
    stream.on('error', () => { broken.add(stream); });
  }
}

/** Writes unless the stream is known to be closed. */
export function write(stream: NodeJS.WriteStream, text: string): void {
  if (broken.has(stream) || stream.destroyed) return;
  try {
    stream.write(text);
  } catch {
    broken.add(stream);
  }
}

export const writeStdout = (text: string) => write(process.stdout, text);
export const writeStderr = (text: string) => write(process.stderr, text);
