import * as crypto from 'crypto';
import { event, failure, TIME } from './generated';
import { EventOptionValues } from '../../../src/cli/events';

const md5 = (text: string) => crypto.createHash('md5').update(text, 'utf8').digest('hex');

describe('messaging', () => {
  test('sns carries the topic, subject, message and attributes; an empty subject is null', () => {
    const r = event('sns', { topic: 'orders', subject: 'New order', message: '{"id":1}', attribute: ['color=blue', 'size=L=large'], account: '111122223333' }).Records[0];
    expect(r.EventSubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:111122223333:orders:[0-9a-f-]{36}$/);
    expect(r.Sns).toMatchObject({ Type: 'Notification', TopicArn: 'arn:aws:sns:us-east-1:111122223333:orders', Subject: 'New order', Message: '{"id":1}', Timestamp: TIME });
    expect(r.Sns.MessageAttributes).toEqual({ color: { Type: 'String', Value: 'blue' }, size: { Type: 'String', Value: 'L=large' } });
    expect(event('sns', { subject: '' }).Records[0].Sns.Subject).toBeNull();
  });

  test('sqs gives one record per --body, each with its own id and the MD5 of its body', () => {
    const bodies = ['test', '{"n":2}', 'ünïcödé'];
    const records = event('sqs', { body: bodies, queue: 'jobs' }).Records;
    expect(records.map((r: any) => r.body)).toEqual(bodies);
    expect(records[0].md5OfBody).toBe('098f6bcd4621d373cade4e832627b4f6'); // "test", as in the Lambda Developer Guide's sample
    expect(records.map((r: any) => r.md5OfBody)).toEqual(bodies.map(md5));
    expect(new Set(records.map((r: any) => r.messageId)).size).toBe(3);
    expect(records.map((r: any) => r.attributes.SentTimestamp)).toEqual(['0', '1', '2'].map(i => String(Date.parse(TIME) + Number(i))));
    for (const r of records) expect(r).toMatchObject({ eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:jobs', awsRegion: 'us-east-1', eventSource: 'aws:sqs' });
  });

  test('sqs without --body sends one record with the sample body', () => {
    expect(event('sqs').Records.map((r: any) => r.body)).toEqual(['{"hello":"world"}']);
  });
});

describe('messaging errors are usage errors that name the kind, the flag, the value and the fix', () => {
  test.each([
    ['sns', { attribute: ['=x'] }, /invalid --attribute "=x": not "Name=value"/],
  ] as Array<[string, EventOptionValues, RegExp]>)('%s %j', (kind, options, message) => {
    expect(failure(kind, options).message).toMatch(message);
  });
});
