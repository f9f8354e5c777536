import { onSignals, SIGNAL_EXIT } from '../../../src/cli/local/shutdown';

test('the first SIGINT or SIGTERM starts the shutdown; a second one does not cut it short (D6)', () => {
  const seen: string[] = [];
  const dispose = onSignals(signal => seen.push(`first ${signal}`), () => seen.push('again'));
  try {
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');
  } finally {
    dispose();
  }
  expect(seen).toEqual(['first SIGINT', 'again', 'again']);
  expect(process.listenerCount('SIGINT')).toBe(0);
  expect(SIGNAL_EXIT).toEqual({ SIGINT: 130, SIGTERM: 143 });
});
