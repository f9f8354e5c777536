/**
 * `cdk-lambda-container generate-event <kind>`: realistic sample events, in the shapes AWS
 * services send (the same fields `sam local generate-event` fills), with values from options.
 */
import * as crypto from 'crypto';

export interface EventOptions {
  readonly region?: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly size?: number;
  readonly body?: string;
  readonly method?: string;
  readonly path?: string;
  readonly queue?: string;
  readonly source?: string;
  readonly detailType?: string;
  readonly detail?: string;
  /** Fixed time (ISO), for reproducible events. */
  readonly time?: string;
}

export const EVENT_KINDS = ['s3-put', 'apigateway-http', 'sqs', 'eventbridge'] as const;
export type EventKind = typeof EVENT_KINDS[number];

const ACCOUNT = '123456789012';

export function generateEvent(kind: string, o: EventOptions = {}): unknown {
  const region = o.region ?? 'us-east-1';
  const time = o.time ?? new Date().toISOString();
  const id = () => crypto.randomUUID();
  switch (kind) {
    case 's3-put': {
      const bucket = o.bucket ?? 'example-bucket';
      const key = o.key ?? 'uploads/example.jpg';
      return {
        Records: [{
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: region,
          eventTime: time,
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'EXAMPLE' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': 'EXAMPLE123456789', 'x-amz-id-2': 'EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'testConfigRule',
            bucket: { name: bucket, ownerIdentity: { principalId: 'EXAMPLE' }, arn: `arn:aws:s3:::${bucket}` },
            // S3 URL-encodes keys in events (spaces become +).
            object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'), size: o.size ?? 1024, eTag: '0123456789abcdef0123456789abcdef', sequencer: '0A1B2C3D4E5F678901' },
          },
        }],
      };
    }
    case 'apigateway-http': {
      const method = (o.method ?? 'POST').toUpperCase();
      const rawPath = o.path ?? '/orders';
      return {
        version: '2.0',
        routeKey: `${method} ${rawPath}`,
        rawPath,
        rawQueryString: '',
        headers: { 'content-type': 'application/json', 'host': 'abcdef123.execute-api.us-east-1.amazonaws.com' },
        requestContext: {
          accountId: ACCOUNT,
          apiId: 'abcdef123',
          domainName: 'abcdef123.execute-api.us-east-1.amazonaws.com',
          http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'cdk-lambda-container' },
          requestId: id(),
          routeKey: `${method} ${rawPath}`,
          stage: '$default',
          time,
          timeEpoch: Date.parse(time),
        },
        body: o.body ?? '{"item":"example"}',
        isBase64Encoded: false,
      };
    }
    case 'sqs': {
      const queue = o.queue ?? 'example-queue';
      const body = o.body ?? '{"hello":"world"}';
      return {
        Records: [{
          messageId: id(),
          receiptHandle: 'MessageReceiptHandle',
          body,
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.parse(time)), SenderId: ACCOUNT, ApproximateFirstReceiveTimestamp: String(Date.parse(time)) },
          messageAttributes: {},
          md5OfBody: crypto.createHash('md5').update(body).digest('hex'),
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${region}:${ACCOUNT}:${queue}`,
          awsRegion: region,
        }],
      };
    }
    case 'eventbridge':
      return {
        'version': '0',
        'id': id(),
        'detail-type': o.detailType ?? 'Order Placed',
        'source': o.source ?? 'com.example.orders',
        'account': ACCOUNT,
        time,
        region,
        'resources': [],
        'detail': JSON.parse(o.detail ?? '{"orderId":"1234"}'),
      };
    default:
      throw new Error(`unknown event kind "${kind}": use one of ${EVENT_KINDS.join(', ')}`);
  }
}
