/** `generate-event` s3-put and s3-delete: S3 event notifications. */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { Options, UPPER_ALNUM } from './options';

type S3Object = S3EventRecord['s3']['object'];
type S3ObjectFields = Partial<Pick<S3Object, 'size' | 'eTag'>>;

/** S3Event with the object fields of its event type: a removed object has neither size nor eTag. */
interface S3Notification<Fields extends S3ObjectFields> {
  Records: Array<Omit<S3EventRecord, 's3'> & {
    s3: Omit<S3EventRecord['s3'], 'object'> & { object: Omit<S3Object, 'size' | 'eTag'> & Fields };
  }>;
}

/**
 * The key as S3 puts it in a notification: URL-encoded as an HTML form is
 * (application/x-www-form-urlencoded): UTF-8, a space as '+', every byte but A-Z a-z 0-9 - . _ *
 * percent-encoded, '/' kept. S3 User Guide, "Event message structure": "red flower.jpg" becomes
 * "red+flower.jpg"; handlers decode it with unquote_plus / decodeURIComponent after '+' → ' '.
 */
function s3EventKey(key: string): string {
  return new URLSearchParams({ k: key }).toString().slice(2).replace(/%2F/g, '/');
}

/**
 * Shape: SAM's s3/S3Put.json and s3/S3Delete.json, and the S3 User Guide's "Event message structure"
 * (eventVersion 2.1, which S3 uses for these event types; a sequencer that grows with the time).
 */
function s3Event<Fields extends S3ObjectFields>(o: Options, eventName: string, object: Fields): S3Notification<Fields> {
  const bucket = o.name('bucket', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'bucket name (3-63 of a-z 0-9 . -)');
  const key = o.string('key');
  if (key === '' || Buffer.byteLength(key) > 1024) throw o.invalid('key', key, 'S3 keys are 1 to 1024 bytes', 'give a key like uploads/cat.jpg');
  return {
    Records: [{
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: o.region,
      eventTime: o.time.toISOString(),
      eventName,
      userIdentity: { principalId: `AWS:AIDA${o.ids.chars('principal', 17, UPPER_ALNUM)}` },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: {
        'x-amz-request-id': o.ids.hex('request-id', 16).toUpperCase(),
        'x-amz-id-2': o.ids.bytes('id-2', 57).toString('base64'),
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'example-notification',
        bucket: { name: bucket, ownerIdentity: { principalId: `A${o.ids.chars('owner', 13, UPPER_ALNUM)}` }, arn: `arn:${o.partition}:s3:::${bucket}` },
        object: {
          key: s3EventKey(key),
          ...object,
          sequencer: o.time.getTime().toString(16).toUpperCase().padStart(16, '0') + o.ids.hex('sequencer', 2).toUpperCase(),
        },
      },
    }],
  };
}

export function s3Put(o: Options): S3Event {
  return s3Event(o, 'ObjectCreated:Put', { size: o.integer('size'), eTag: o.ids.hex('etag', 32) });
}

export function s3Delete(o: Options): S3Notification<object> {
  return s3Event(o, 'ObjectRemoved:Delete', {});
}
