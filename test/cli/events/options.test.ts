import { event, failure } from './generated';
import { EventOptionValues, generateEvent } from '../../../src/cli/events';
import { Ids, isoSeconds, pad } from '../../../src/cli/events/options';

describe('options', () => {
  test('a region of another partition gives its ARNs', () => {
    expect(event('s3-put', { region: 'cn-north-1', bucket: 'b1b' }).Records[0].s3.bucket.arn).toBe('arn:aws-cn:s3:::b1b');
    expect(event('sqs', { region: 'us-gov-west-1' }).Records[0].eventSourceARN).toBe('arn:aws-us-gov:sqs:us-gov-west-1:123456789012:example-queue');
  });
});

describe('determinism', () => {
  test('other options give other ids', () => {
    expect(event('sqs', { queue: 'a' }).Records[0].messageId).not.toBe(event('sqs', { queue: 'b' }).Records[0].messageId);
    expect(event('sqs', { time: '2026-11-22T09:30:01Z' }).Records[0].messageId).not.toBe(event('sqs').Records[0].messageId);
  });

  test('without --time the event happens now, with random ids', () => {
    const before = Date.now();
    const a = generateEvent('sqs') as any;
    const b = generateEvent('sqs') as any;
    expect(Number(a.Records[0].attributes.SentTimestamp)).toBeGreaterThanOrEqual(before);
    expect(a.Records[0].messageId).not.toBe(b.Records[0].messageId);
  });

  test('undefined options count as absent, as the CLI passes them', () => {
    expect(event('s3-put', { bucket: undefined, key: undefined, body: undefined } as EventOptionValues)).toEqual(event('s3-put'));
  });
});

describe('ids and times', () => {
  const ids = new Ids(Buffer.from('seed'));

  test('the same seed and label give the same id, another label or seed another', () => {
    expect(ids.hex('a', 40)).toBe(new Ids(Buffer.from('seed')).hex('a', 40));
    expect(ids.hex('a', 40)).not.toBe(ids.hex('b', 40));
    expect(ids.hex('a', 40)).not.toBe(new Ids(Buffer.from('other')).hex('a', 40));
    expect(ids.bytes('long', 100)).toHaveLength(100);
    expect(ids.bytes('long', 11).equals(ids.bytes('long', 100).subarray(0, 11))).toBe(true);
  });

  test('uuids are version-4-shaped, chars come from the alphabet, sequences grow', () => {
    expect(ids.uuid('u')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.chars('c', 50, 'xy')).toMatch(/^[xy]{50}$/);
    const run = [0, 1, 2].map(i => ids.sequence('s', '49', 56, i));
    for (const s of run) expect(s).toMatch(/^49\d{54}$/);
    expect(BigInt(run[0]) < BigInt(run[1]) && BigInt(run[1]) < BigInt(run[2])).toBe(true);
  });

  test('times: two-digit parts, ISO 8601 to the second', () => {
    expect([pad(7), pad(12)]).toEqual(['07', '12']);
    expect(isoSeconds(new Date('2026-11-22T09:30:05.678Z'))).toBe('2026-11-22T09:30:05Z');
  });
});

describe('errors are usage errors that name the kind, the flag, the value and the fix', () => {
  test.each([
    ['s3-put', { time: 'yesterday' }, /invalid --time "yesterday": not an ISO 8601 time\. Fix: give one like 2026-11-22T09:30:00Z\./],
    ['sqs', { region: 'Frankfurt' }, /invalid --region "Frankfurt": not an AWS Region name/],
    ['sqs', { account: '1234' }, /invalid --account "1234": not a valid AWS account ID/],
  ] as Array<[string, EventOptionValues, RegExp]>)('%s %j', (kind, options, message) => {
    expect(failure(kind, options).message).toMatch(message);
  });

  test('an option the kind does not take names the ones it does; a camelCase name is told its flag', () => {
    expect(failure('sqs', { bucket: 'b' }).message).toBe('generate-event sqs: unknown option --bucket. Fix: use one of --queue, --body, --account, --region, --time.');
    expect(failure('eventbridge', { detailType: 'X' }).message).toBe('generate-event eventbridge: unknown option --detailType. Fix: use --detail-type.');
  });

  test('a flag that is not repeatable, given twice, is refused', () => {
    expect(failure('sqs', { queue: ['a', 'b'] }).message).toBe('generate-event sqs: --queue given 2 times ("a", "b"). Fix: give it once.');
    expect(event('sqs', { queue: ['a'] }).Records[0].eventSourceARN).toMatch(/:a$/);
  });
});
