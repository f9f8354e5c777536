import { functionLog, isEmulatorLine, LineLog, LogLine, logResult } from '../../../src/cli/local/logs';

const texts = (lines: LogLine[]) => lines.map(l => l.text);

describe('LineLog', () => {
  test('shows whole lines only, however the chunks are cut, stdout and stderr never mixed in a line (D8)', () => {
    const shown: string[] = [];
    const log = new LineLog(l => shown.push(`${l.stream}:${l.text}`));
    log.push('stdout', 'hel');
    log.push('stderr', 'warn');
    log.push('stdout', 'lo\nwor');
    log.push('stderr', 'ing\r\n');
    log.push('stdout', 'ld\n');
    log.push('stdout', 'tail without newline');
    log.flush();
    expect(shown).toEqual(['stdout:hello', 'stderr:warning', 'stdout:world', 'stdout:tail without newline']);
  });

  test('an invocation\'s lines are its own, even when its stdout comes after the next one began (D8)', async () => {
    const log = new LineLog();
    const first = log.mark();
    log.push('stderr', '04 Dec 2026 11:54:50,865 [INFO] (rapid) INVOKE START(requestId: 1)\n');
    const second = log.mark(); // the second invocation is sent before the first one's stdout arrived
    log.push('stderr', '04 Dec 2026 11:54:50,897 [INFO] (rapid) INVOKE START(requestId: 2)\n');
    log.push('stdout', 'START RequestId: 1 Version: $LATEST\nprint one\nEND RequestId: 1\nREPORT RequestId: 1\tDuration: 1 ms\n');
    log.push('stdout', 'START RequestId: 2 Version: $LATEST\nprint two\nEND RequestId: 2\nREPORT RequestId: 2\tDuration: 1 ms\n');
    expect(functionLog(await log.invocation(1, first, 10))).toBe('START RequestId: 1 Version: $LATEST\nprint one\nEND RequestId: 1\nREPORT RequestId: 1\tDuration: 1 ms\n');
    expect(functionLog(await log.invocation(2, second, 10))).toBe('START RequestId: 2 Version: $LATEST\nprint two\nEND RequestId: 2\nREPORT RequestId: 2\tDuration: 1 ms\n');
  });

  test('waits for the REPORT line, and without one gives every line since the mark (a runtime that died)', async () => {
    const log = new LineLog();
    const mark = log.mark();
    setTimeout(() => log.push('stdout', 'START RequestId: 1\nREPORT RequestId: 1\n'), 30);
    expect(texts(await log.invocation(1, mark, 2000))).toEqual(['START RequestId: 1', 'REPORT RequestId: 1']);
    const dead = log.mark();
    log.push('stderr', 'x [WARNING] (rapid) Process runtime-1 exited: signal: killed\n');
    expect(texts(await log.invocation(2, dead, 50))).toEqual(['x [WARNING] (rapid) Process runtime-1 exited: signal: killed']);
  });

  test('25 warm invocations: each Tail holds its own START…REPORT and print, never stale lines (the reliability review\'s D8 case)', async () => {
    const log = new LineLog();
    for (let i = 1; i <= 25; i++) {
      const mark = log.mark();
      log.push('stderr', `04 Dec 2026 11:54:50,897 [INFO] (rapid) INVOKE START(requestId: ${i})\n`.repeat(3));
      log.push('stdout', `START RequestId: ${i}\nQA-PRINT m${i}\nEND RequestId: ${i}\nREPORT RequestId: ${i}\n`);
      const tail = Buffer.from(logResult(functionLog(await log.invocation(i, mark, 10))), 'base64').toString();
      expect(tail).toBe(`START RequestId: ${i}\nQA-PRINT m${i}\nEND RequestId: ${i}\nREPORT RequestId: ${i}\n`);
    }
  });
});

test('the emulator\'s own lines are told apart from the function\'s', () => {
  expect(isEmulatorLine('04 Dec 2026 11:54:50,692 [INFO] (rapid) INIT START(type: on-demand, phase: init)')).toBe(true);
  expect(isEmulatorLine('22 Nov 2026 05:11:27,513 [WARNING] (rapid) Process runtime-1 exited: exit status 127')).toBe(true);
  expect(isEmulatorLine('START RequestId: 1 Version: $LATEST')).toBe(false);
  expect(isEmulatorLine('[INFO] my own log line')).toBe(false);
});

test('logResult is the last 4 KB of the log, base64, as Lambda\'s X-Amz-Log-Result', () => {
  const log = `${'a'.repeat(5000)}REPORT\n`;
  const decoded = Buffer.from(logResult(log), 'base64');
  expect(decoded.length).toBe(4096);
  expect(decoded.toString().endsWith('REPORT\n')).toBe(true);
  expect(Buffer.from(logResult('short\n'), 'base64').toString()).toBe('short\n');
});
