import { formatTimings } from '../../../src/cli/commands/invoke';

describe('invoke timings', () => {
  const at = (receivedAt: number, roundTripMs: number) => ({ receivedAt, roundTripMs });

  test('the first invocation is the cold start, counted from the container start', () => {
    expect(formatTimings({ createMs: 1234.4, startedAt: 100 }, [at(350, 240)]))
      .toBe('timings: container created in 1234 ms; start to first response 250 ms');
  });

  test('the others are warm: median and max of their round trips', () => {
    expect(formatTimings({ createMs: 5, startedAt: 0 }, [at(300, 290), at(305, 4), at(310, 2), at(330, 20)]))
      .toBe('timings: container created in 5.0 ms; start to first response 300 ms; 3 warm round trips: median 4.0 ms, max 20 ms');
  });
});
