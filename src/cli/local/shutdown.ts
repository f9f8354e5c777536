/**
 * Ctrl-C and SIGTERM for the commands that run containers: the first signal starts the command's
 * shutdown (its containers removed, then exit); a second one while that runs does not cut it short
 * (it says what it is waiting for), so no container is left behind by an impatient double Ctrl-C.
 */

/** The exit status of a process ended by a signal (128 + its number), as shells report it. */
export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Calls `first` on the first SIGINT or SIGTERM; `again` on each later one. Returns the function
 * that removes the handlers (call it once the command is done).
 */
export function onSignals(first: (signal: 'SIGINT' | 'SIGTERM') => void, again: () => void): () => void {
  let seen = false;
  const handler = (signal: 'SIGINT' | 'SIGTERM') => {
    if (seen) {
      again();
      return;
    }
    seen = true;
    first(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
