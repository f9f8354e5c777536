import { event, failure, TIME } from './generated';
import { EventOptionValues } from '../../../src/cli/events';

describe('streams', () => {
  test('dynamodb-stream sends INSERT, MODIFY and REMOVE, with the images each carries, in DynamoDB JSON', () => {
    const records = event('dynamodb-stream', { 'table': 'orders', 'keys': '{"pk":"o#1","sk":2}', 'new-image': '{"status":"paid","total":12.5,"tags":["a"],"gift":false,"note":null,"ship":{"city":"Oslo"}}', 'old-image': '{"status":"new"}' }).Records;
    expect(records.map((r: any) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const keys = { pk: { S: 'o#1' }, sk: { N: '2' } };
    const paid = { status: { S: 'paid' }, total: { N: '12.5' }, tags: { L: [{ S: 'a' }] }, gift: { BOOL: false }, note: { NULL: true }, ship: { M: { city: { S: 'Oslo' } } }, ...keys };
    const fresh = { status: { S: 'new' }, ...keys };
    expect(records.map((r: any) => r.dynamodb.Keys)).toEqual([keys, keys, keys]);
    expect(records.map((r: any) => [r.dynamodb.NewImage, r.dynamodb.OldImage])).toEqual([[paid, undefined], [paid, fresh], [undefined, fresh]]);
    for (const r of records) {
      expect(r.eventSourceARN).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/orders\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
      expect(r.dynamodb).toMatchObject({ ApproximateCreationDateTime: Date.parse(TIME) / 1000, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    }
    const sequence = records.map((r: any) => BigInt(r.dynamodb.SequenceNumber));
    expect(sequence[0] < sequence[1] && sequence[1] < sequence[2]).toBe(true);
  });

  test('dynamodb-stream --event-name picks the records', () => {
    expect(event('dynamodb-stream', { 'event-name': ['modify', 'MODIFY'] }).Records.map((r: any) => r.eventName)).toEqual(['MODIFY', 'MODIFY']);
  });

  test('kinesis gives one record per --data, base64-encoded, with increasing sequence numbers', () => {
    const records = event('kinesis', { 'data': ['first', '{"n":2}', 'ünï'], 'stream': 'clicks', 'partition-key': 'user-7' }).Records;
    expect(records.map((r: any) => Buffer.from(r.kinesis.data, 'base64').toString('utf8'))).toEqual(['first', '{"n":2}', 'ünï']);
    const sequence = records.map((r: any) => r.kinesis.sequenceNumber);
    for (const s of sequence) expect(s).toMatch(/^\d{56}$/);
    expect(BigInt(sequence[0]) < BigInt(sequence[1]) && BigInt(sequence[1]) < BigInt(sequence[2])).toBe(true);
    for (const r of records) {
      expect(r).toMatchObject({ eventName: 'aws:kinesis:record', eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks', kinesis: { partitionKey: 'user-7' } });
      expect(r.eventID).toBe(`shardId-000000000000:${r.kinesis.sequenceNumber}`);
    }
    expect(records[0].kinesis.approximateArrivalTimestamp).toBe(Date.parse(TIME) / 1000);
  });
});

describe('streams errors are usage errors that name the kind, the flag, the value and the fix', () => {
  test.each([
    ['dynamodb-stream', { keys: 'Id=1' }, /^generate-event dynamodb-stream: invalid --keys "Id=1": not JSON/],
    ['dynamodb-stream', { keys: '{}' }, /invalid --keys "\{\}": no key attribute/],
    ['dynamodb-stream', { 'event-name': ['UPSERT'] }, /invalid --event-name "UPSERT": not a stream event name\. Fix: use INSERT, MODIFY, REMOVE\./],
  ] as Array<[string, EventOptionValues, RegExp]>)('%s %j', (kind, options, message) => {
    expect(failure(kind, options).message).toMatch(message);
  });
});
