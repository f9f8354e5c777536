/** `generate-event` dynamodb-stream and kinesis: stream batches, records in order. */
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent, KinesisStreamEvent } from 'aws-lambda';
import { Options } from './options';

type StreamEventName = NonNullable<DynamoDBRecord['eventName']>;

/** A JSON value in DynamoDB's attribute-value JSON: {"S": ...}, {"N": "1"}, {"M": {...}}. */
function marshall(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(marshall) };
  return { M: marshallItem(value as Record<string, unknown>) };
}

const marshallItem = (item: Record<string, unknown>): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(item).map(([k, v]) => [k, marshall(v)]));

/** The records a DynamoDB stream carries, in the order --event-name defaults to. */
export const STREAM_EVENTS: ReadonlyArray<StreamEventName> = ['INSERT', 'MODIFY', 'REMOVE'];

/**
 * Shape: SAM's dynamodb/DynamoDBUpdate.json (INSERT, MODIFY, REMOVE; view type NEW_AND_OLD_IMAGES).
 * INSERT carries the new image, MODIFY both, REMOVE the old one; images hold the keys too. SizeBytes
 * is the size of the record's attribute JSON, an approximation of DynamoDB's.
 */
export function dynamodbStream(o: Options): DynamoDBStreamEvent {
  const table = o.name('table', /^[A-Za-z0-9_.-]{3,255}$/, 'table name (3-255 of A-Z a-z 0-9 _ . -)');
  const keys = o.jsonObject('keys');
  if (Object.keys(keys).length === 0) throw o.invalid('keys', o.string('keys'), 'no key attribute', 'give the partition key (and sort key), e.g. \'{"Id":101}\'');
  const newImage = marshallItem({ ...o.jsonObject('new-image'), ...keys });
  const oldImage = marshallItem({ ...o.jsonObject('old-image'), ...keys });
  const label = new Date(o.time.getTime() - 86_400_000).toISOString().replace(/Z$/, '');
  return {
    Records: o.list('event-name').map((given, i) => {
      const eventName = given.toUpperCase() as StreamEventName;
      if (!STREAM_EVENTS.includes(eventName)) throw o.invalid('event-name', given, 'not a stream event name', `use ${STREAM_EVENTS.join(', ')}`);
      const images = {
        Keys: marshallItem(keys),
        ...(eventName !== 'REMOVE' ? { NewImage: newImage } : {}),
        ...(eventName !== 'INSERT' ? { OldImage: oldImage } : {}),
      };
      return {
        eventID: o.ids.hex(`event-id-${i}`, 32),
        eventName,
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: o.region,
        dynamodb: {
          ...images,
          ApproximateCreationDateTime: Math.floor(o.time.getTime() / 1000),
          SequenceNumber: o.ids.sequence('sequence', '4', 28, i),
          SizeBytes: Buffer.byteLength(JSON.stringify(images)),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        eventSourceARN: o.arn('dynamodb', `table/${table}/stream/${label}`),
      };
    }),
  };
}

/**
 * Shape: SAM's kinesis/Kinesis.json and the Lambda Developer Guide's "Using Lambda with Amazon
 * Kinesis" (a batch of two). One record per --data, base64-encoded as Kinesis sends it, with
 * increasing sequence numbers and arrival times (seconds, to the millisecond).
 */
export function kinesis(o: Options): KinesisStreamEvent {
  const stream = o.name('stream', /^[A-Za-z0-9_.-]{1,128}$/, 'stream name (1-128 of A-Z a-z 0-9 _ . -)');
  const account = o.account();
  return {
    Records: o.list('data').map((data, i) => {
      const sequenceNumber = o.ids.sequence('sequence', '49', 56, i);
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: o.string('partition-key'),
          sequenceNumber,
          data: Buffer.from(data, 'utf8').toString('base64'),
          approximateArrivalTimestamp: (o.time.getTime() + i) / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: `arn:${o.partition}:iam::${account}:role/lambda-role`,
        awsRegion: o.region,
        eventSourceARN: o.arn('kinesis', `stream/${stream}`, account),
      };
    }),
  };
}
