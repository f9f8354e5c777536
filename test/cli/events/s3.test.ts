import { event, failure, TIME } from './generated';
import { EventOptionValues, generateEvent } from '../../../src/cli/events';

describe('s3', () => {
  test('s3-put carries the bucket, the key, the size and the region', () => {
    const r = event('s3-put', { bucket: 'images', key: 'uploads/cat.png', size: '2048', region: 'eu-west-1' }).Records[0];
    expect(r).toMatchObject({ eventName: 'ObjectCreated:Put', awsRegion: 'eu-west-1', eventTime: TIME, eventSource: 'aws:s3' });
    expect(r.s3.bucket).toMatchObject({ name: 'images', arn: 'arn:aws:s3:::images' });
    expect(r.s3.object).toMatchObject({ key: 'uploads/cat.png', size: 2048 });
    expect(r.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
  });

  test('s3-delete is ObjectRemoved:Delete, without size or eTag', () => {
    const r = event('s3-delete', { bucket: 'images', key: 'old.png' }).Records[0];
    expect(r.eventName).toBe('ObjectRemoved:Delete');
    expect(r.s3.object).toEqual({ key: 'old.png', sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) });
  });

  test.each([
    ['uploads/my cat.jpg', 'uploads/my+cat.jpg'],
    ['a+b.txt', 'a%2Bb.txt'],
    ['photos/2026/über.png', 'photos/2026/%C3%BCber.png'],
    ['日本語.txt', '%E6%97%A5%E6%9C%AC%E8%AA%9E.txt'],
    ['dir/sub dir/report (1).pdf', 'dir/sub+dir/report+%281%29.pdf'],
    ['a/b/c/', 'a/b/c/'],
    ['x:y=z&w?#%.csv', 'x%3Ay%3Dz%26w%3F%23%25.csv'],
    ['keep-these_.*', 'keep-these_.*'],
  ])('the key %j reaches the event as S3 encodes it: %j', (key, encoded) => {
    const sent = event('s3-put', { key }).Records[0].s3.object.key;
    expect(sent).toBe(encoded);
    expect(decodeURIComponent(sent.replace(/\+/g, ' '))).toBe(key); // what handlers do (unquote_plus)
  });

  test('the sequencer grows with the time, as S3 orders events on a key by it', () => {
    const seq = (time: string) => generateEvent('s3-put', { time }) as any;
    expect(seq('2026-11-22T09:30:00.001Z').Records[0].s3.object.sequencer > seq('2026-11-22T09:30:00.000Z').Records[0].s3.object.sequencer).toBe(true);
  });
});

describe('s3 errors are usage errors that name the kind, the flag, the value and the fix', () => {
  test.each([
    ['s3-put', { size: 'big' }, /^generate-event s3-put: invalid --size "big": not a whole number\. Fix: give one like 1024\.$/],
    ['s3-put', { bucket: 'My_Bucket' }, /invalid --bucket "My_Bucket": not a valid bucket name/],
    ['s3-put', { key: '' }, /invalid --key "": S3 keys are 1 to 1024 bytes/],
  ] as Array<[string, EventOptionValues, RegExp]>)('%s %j', (kind, options, message) => {
    expect(failure(kind, options).message).toMatch(message);
  });
});
