import { EVENT_KINDS, generateEvent } from '../../src/cli/events';

describe('generateEvent', () => {
  test('s3-put carries the bucket and the URL-encoded key, as S3 sends them', () => {
    const event = generateEvent('s3-put', { bucket: 'images', key: 'uploads/my cat.jpg', time: '2026-11-22T00:00:00.000Z' }) as any;
    expect(event.Records[0].s3.bucket).toMatchObject({ name: 'images', arn: 'arn:aws:s3:::images' });
    expect(event.Records[0].s3.object.key).toBe('uploads/my+cat.jpg');
    expect(event.Records[0].eventName).toBe('ObjectCreated:Put');
  });

  test.each(EVENT_KINDS)('%s is JSON with the fields its service sends', kind => {
    const event = generateEvent(kind, { time: '2026-11-22T00:00:00.000Z' }) as any;
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
    const marker = { 's3-put': 'Records', 'apigateway-http': 'requestContext', 'sqs': 'Records', 'eventbridge': 'detail-type' }[kind];
    expect(event[marker]).toBeDefined();
  });

  test('rejects unknown kinds, listing the known ones', () => {
    expect(() => generateEvent('kinesis')).toThrow(/unknown event kind "kinesis": use one of s3-put, apigateway-http, sqs, eventbridge/);
  });
});
