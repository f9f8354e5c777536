import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { UsageError } from '../../../src/cli/errors';
import { EVENT_KINDS, EventOptionValues, generateEvent } from '../../../src/cli/events';
import { shape } from '../../util';

const TIME = '2026-11-22T09:30:00.000Z';
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'events');

/** A generated event, reproducible (time fixed), as JSON would carry it. */
function event(kind: string, options: EventOptionValues = {}): any {
  const e = generateEvent(kind, { time: TIME, ...options });
  return JSON.parse(JSON.stringify(e));
}

/** The error generateEvent throws for these arguments. */
function failure(kind: string, options: EventOptionValues = {}): UsageError {
  try {
    generateEvent(kind, options);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return e as UsageError;
  }
  throw new Error(`generate-event ${kind} did not fail`);
}

function fixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

const gunzipJson = (data: string) => JSON.parse(zlib.gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
const md5 = (text: string) => crypto.createHash('md5').update(text, 'utf8').digest('hex');

describe('the kinds', () => {
  const kinds = EVENT_KINDS.map(k => k.kind);

  test('every kind is listed once, with a one-line description and options that include region and time', () => {
    expect(kinds).toEqual(['s3-put', 's3-delete', 'apigateway-http', 'apigateway-rest', 'function-url', 'alb', 'sns', 'sqs',
      'dynamodb-stream', 'kinesis', 'eventbridge', 'eventbridge-schedule', 'cloudwatch-logs']);
    for (const k of EVENT_KINDS) {
      expect(k.description).toMatch(/^\S.*\S$/);
      expect(k.description).not.toMatch(/\n/);
      const flags = k.options.map(o => o.flag);
      expect(new Set(flags).size).toBe(flags.length);
      expect(flags.slice(-2)).toEqual(['region', 'time']);
      for (const o of k.options) expect(o.flag).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  test('the four kinds there were keep their names', () => {
    expect(kinds).toEqual(expect.arrayContaining(['s3-put', 'apigateway-http', 'sqs', 'eventbridge']));
  });

  test('the flags that give one more record each are marked repeatable', () => {
    const repeatable = EVENT_KINDS.flatMap(k => k.options.filter(o => o.repeatable).map(o => `${k.kind} --${o.flag}`));
    expect(repeatable).toEqual(expect.arrayContaining(['sqs --body', 'kinesis --data', 'cloudwatch-logs --message', 'dynamodb-stream --event-name', 'apigateway-rest --header']));
    expect(repeatable).not.toContain('sns --message');
  });

  test('the default help shows is the value used when the option is absent', () => {
    const described = ['time', 'body', 'route', 'url-id', 'log-stream', 'event-name']; // defaults worked out, or a list
    for (const k of EVENT_KINDS) {
      for (const o of k.options.filter(x => x.defaultValue !== undefined && !described.includes(x.flag))) {
        const given = event(k.kind, { [o.flag]: o.repeatable ? [o.defaultValue!] : o.defaultValue });
        expect([k.kind, o.flag, given]).toEqual([k.kind, o.flag, event(k.kind)]);
      }
    }
  });
});

describe('each event has the keys AWS sends, as its documented sample (test/fixtures/events)', () => {
  // Options that make the optional fields appear, where the sample has them.
  const cases: Array<[string, string, EventOptionValues]> = [
    ['s3-put', 's3-put', {}],
    ['s3-delete', 's3-delete', {}],
    ['apigateway-http', 'apigateway-http', { query: 'parameter1=value1&parameter1=value2', header: ['Cookie: cookie1; cookie2'], route: 'POST /{parameter1}', path: '/x' }],
    ['apigateway-rest', 'apigateway-rest', { query: 'foo=bar' }],
    ['function-url', 'function-url', { query: 'parameter1=value1', header: ['Cookie: cookie1'] }],
    ['alb', 'alb', { method: 'GET', query: 'query=1234ABCD' }],
    ['alb', 'alb-multi-value', { 'method': 'GET', 'multi-value': 'true' }],
    ['sns', 'sns', {}],
    ['sqs', 'sqs', { body: ['test', 'test'] }],
    ['dynamodb-stream', 'dynamodb-stream', {}],
    ['kinesis', 'kinesis', { data: ['a', 'b'] }],
    ['eventbridge', 'eventbridge', { resource: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }],
    ['eventbridge-schedule', 'eventbridge-schedule', {}],
    ['cloudwatch-logs', 'cloudwatch-logs', {}],
  ];

  test.each(cases)('%s is shaped as %s.json', (kind, name, options) => {
    expect(shape(event(kind, options))).toEqual(shape(fixture(name)));
  });

  test('every kind has its sample', () => {
    expect(EVENT_KINDS.map(k => k.kind).filter(k => !cases.some(([kind]) => kind === k))).toEqual([]);
  });

  test('cloudwatch-logs data decodes to the shape of the sample\'s', () => {
    const data = gunzipJson(event('cloudwatch-logs', { message: ['one', 'two'] }).awslogs.data);
    expect(shape(data)).toEqual(shape(gunzipJson(fixture('cloudwatch-logs').awslogs.data)));
  });

  test('a GET to an HTTP API or a function URL has no body, a REST API\'s is null and an ALB\'s empty', () => {
    expect(event('apigateway-http', { method: 'GET' })).not.toHaveProperty('body');
    expect(event('function-url', { method: 'GET' })).not.toHaveProperty('body');
    expect(event('apigateway-rest', { method: 'GET' }).body).toBeNull();
    expect(event('alb', { method: 'GET' }).body).toBe('');
  });
});

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

  test('a region of another partition gives its ARNs', () => {
    expect(event('s3-put', { region: 'cn-north-1', bucket: 'b1b' }).Records[0].s3.bucket.arn).toBe('arn:aws-cn:s3:::b1b');
    expect(event('sqs', { region: 'us-gov-west-1' }).Records[0].eventSourceARN).toBe('arn:aws-us-gov:sqs:us-gov-west-1:123456789012:example-queue');
  });
});

describe('http', () => {
  test('apigateway-rest carries the method, path, resource, path and query parameters, headers and body', () => {
    const e = event('apigateway-rest', {
      method: 'put',
      path: '/orders/42',
      resource: '/orders/{id}',
      query: 'tag=a&tag=b%20c&x=1',
      header: ['X-Trace: 1', 'X-Trace: 2', 'User-Agent: test-agent'],
      body: 'hello',
      stage: 'dev',
      account: '111122223333',
    });
    expect(e).toMatchObject({ httpMethod: 'PUT', path: '/orders/42', resource: '/orders/{id}', pathParameters: { id: '42' }, body: 'hello', isBase64Encoded: false });
    expect(e.queryStringParameters).toEqual({ tag: 'b c', x: '1' });
    expect(e.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b c'], x: ['1'] });
    expect(e.headers).toMatchObject({ 'X-Trace': '2', 'User-Agent': 'test-agent', 'Content-Type': 'text/plain' });
    expect(e.multiValueHeaders['X-Trace']).toEqual(['1', '2']);
    expect(e.multiValueHeaders['User-Agent']).toEqual(['test-agent']);
    expect(e.requestContext).toMatchObject({ accountId: '111122223333', stage: 'dev', path: '/dev/orders/42', resourcePath: '/orders/{id}', httpMethod: 'PUT' });
    expect(e.requestContext.identity.userAgent).toBe('test-agent');
    expect(e.requestContext.requestTime).toBe('22/Nov/2026:09:30:00 +0000');
    expect(e.requestContext.requestTimeEpoch).toBe(Date.parse(TIME));
    expect(e.headers.Host).toBe(e.requestContext.domainName);
    expect(e.requestContext.domainName).toBe(`${e.requestContext.apiId}.execute-api.us-east-1.amazonaws.com`);
  });

  test('apigateway-rest\'s default resource, /{proxy+}, takes the whole path; no query is null', () => {
    const e = event('apigateway-rest', { path: '/a/b/c' });
    expect(e.pathParameters).toEqual({ proxy: 'a/b/c' });
    expect(e.queryStringParameters).toBeNull();
    expect(e.multiValueQueryStringParameters).toBeNull();
    expect(event('apigateway-rest', { resource: '/health', path: '/health' }).pathParameters).toBeNull();
  });

  test('--base64 sends a binary body as given, with isBase64Encoded', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]).toString('base64');
    for (const kind of ['apigateway-rest', 'apigateway-http', 'function-url', 'alb']) {
      const e = event(kind, { base64: png });
      expect([kind, e.body, e.isBase64Encoded]).toEqual([kind, png, true]);
      expect(JSON.stringify(e.headers)).toMatch(/"content-type":"application\/octet-stream"/i);
    }
  });

  test('apigateway-http lower-cases header names, comma-joins repeats, moves cookies out and keeps the raw query', () => {
    const e = event('apigateway-http', {
      method: 'GET',
      path: '/orders/42',
      route: 'GET /orders/{id}',
      query: 'a=1&a=2&b=x%2By',
      header: ['X-Multi: 1', 'x-multi: 2', 'Cookie: s=1; t=2'],
      stage: 'prod',
    });
    expect(e).toMatchObject({ routeKey: 'GET /orders/{id}', rawPath: '/orders/42', rawQueryString: 'a=1&a=2&b=x%2By', cookies: ['s=1', 't=2'] });
    expect(e.queryStringParameters).toEqual({ a: '1,2', b: 'x+y' });
    expect(e.pathParameters).toEqual({ id: '42' });
    expect(e.headers['x-multi']).toBe('1,2');
    expect(e.headers).not.toHaveProperty('cookie');
    expect(e.requestContext).toMatchObject({ routeKey: 'GET /orders/{id}', stage: 'prod', http: { method: 'GET', path: '/orders/42' }, timeEpoch: Date.parse(TIME) });
  });

  test('apigateway-http\'s route is "METHOD PATH" by default, or $default', () => {
    expect(event('apigateway-http', { method: 'DELETE', path: '/x' }).routeKey).toBe('DELETE /x');
    expect(event('apigateway-http', { route: '$default' })).not.toHaveProperty('pathParameters');
  });

  test('function-url is payload 2.0 as function URLs send it: $default route and stage, the URL\'s domain, an anonymous caller', () => {
    const e = event('function-url', { 'url-id': 'abcdefghij0123456789klmnopqrstuv', 'region': 'eu-central-1', 'path': 'hook', 'body': '{"a":1}' });
    expect(e).toMatchObject({ version: '2.0', routeKey: '$default', rawPath: '/hook', body: '{"a":1}', isBase64Encoded: false });
    expect(e.requestContext).toMatchObject({
      accountId: 'anonymous',
      apiId: 'abcdefghij0123456789klmnopqrstuv',
      routeKey: '$default',
      stage: '$default',
      domainName: 'abcdefghij0123456789klmnopqrstuv.lambda-url.eu-central-1.on.aws',
      domainPrefix: 'abcdefghij0123456789klmnopqrstuv',
    });
    expect(e.headers.host).toBe(e.requestContext.domainName);
    expect(e.headers['content-type']).toBe('application/json');
    expect(e.requestContext.domainName).toMatch(/^[a-z0-9]{32}\.lambda-url\.eu-central-1\.on\.aws$/);
    expect(event('function-url').requestContext.apiId).toMatch(/^[a-z0-9]{32}$/);
  });

  test('alb sends the last value of a header or parameter, the query undecoded; with multi-value headers, every value', () => {
    const options = { query: 'q=a%20b&q=c', header: ['X-Multi: 1', 'X-Multi: 2'], account: '111122223333', region: 'eu-west-1', method: 'GET' };
    const single = event('alb', options);
    expect(single.queryStringParameters).toEqual({ q: 'c' });
    expect(single.headers['x-multi']).toBe('2');
    expect(single).not.toHaveProperty('multiValueHeaders');
    expect(single.requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup\/example-targets\/[0-9a-f]{16}$/);
    const multi = event('alb', { ...options, 'multi-value': 'true' });
    expect(multi.multiValueQueryStringParameters).toEqual({ q: ['a%20b', 'c'] });
    expect(multi.multiValueHeaders['x-multi']).toEqual(['1', '2']);
    expect(multi).not.toHaveProperty('headers');
    expect(multi).not.toHaveProperty('queryStringParameters');
  });

  test('a header given replaces the sample header of that name, whatever its case', () => {
    const e = event('apigateway-rest', { header: ['host: example.com'] });
    expect(e.headers).not.toHaveProperty('Host');
    expect(e.headers.host).toBe('example.com');
  });
});

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

describe('eventbridge and logs', () => {
  test('eventbridge carries the source, detail-type, parsed detail and resources, the time to the second', () => {
    const e = event('eventbridge', { 'source': 'com.shop', 'detail-type': 'Order Shipped', 'detail': '{"orderId":"9","items":[1,2]}', 'resource': ['arn:aws:s3:::a', 'arn:aws:s3:::b'] });
    expect(e).toMatchObject({ 'version': '0', 'source': 'com.shop', 'detail-type': 'Order Shipped', 'detail': { orderId: '9', items: [1, 2] }, 'time': '2026-11-22T09:30:00Z' });
    expect(e.resources).toEqual(['arn:aws:s3:::a', 'arn:aws:s3:::b']);
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('eventbridge-schedule is a Scheduled Event from aws.events, naming its rule', () => {
    const e = event('eventbridge-schedule', { rule: 'nightly', region: 'ap-southeast-2', account: '111122223333' });
    expect(e).toMatchObject({ 'detail-type': 'Scheduled Event', 'source': 'aws.events', 'account': '111122223333', 'region': 'ap-southeast-2', 'detail': {} });
    expect(e.resources).toEqual(['arn:aws:events:ap-southeast-2:111122223333:rule/nightly']);
  });

  test('cloudwatch-logs data is base64 of gzip of the batch: one log event per --message, in order', () => {
    const e = event('cloudwatch-logs', { 'log-group': '/aws/lambda/orders', 'log-stream': 's1', 'message': ['START', 'hello\tworld', 'END'], 'filter': 'errors' });
    const data = gunzipJson(e.awslogs.data);
    expect(data).toMatchObject({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: '/aws/lambda/orders', logStream: 's1', subscriptionFilters: ['errors'] });
    expect(data.logEvents.map((l: any) => l.message)).toEqual(['START', 'hello\tworld', 'END']);
    expect(data.logEvents.map((l: any) => l.timestamp)).toEqual([0, 1, 2].map(i => Date.parse(TIME) + i));
    expect(new Set(data.logEvents.map((l: any) => l.id)).size).toBe(3);
  });

  test('cloudwatch-logs\' default stream is a Lambda log stream of the day', () => {
    expect(gunzipJson(event('cloudwatch-logs').awslogs.data).logStream).toMatch(/^2026\/11\/22\/\[\$LATEST\][0-9a-f]{32}$/);
  });
});

describe('determinism', () => {
  test.each(EVENT_KINDS.map(k => k.kind))('%s given --time is the same event every time', kind => {
    expect(generateEvent(kind, { time: TIME })).toEqual(generateEvent(kind, { time: TIME }));
  });

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

describe('errors are usage errors that name the kind, the flag, the value and the fix', () => {
  test('an unknown kind lists the kinds', () => {
    expect(failure('kinesis-firehose').message).toBe(`generate-event: unknown event kind "kinesis-firehose". Fix: use one of ${EVENT_KINDS.map(k => k.kind).join(', ')}.`);
  });

  test.each([
    ['eventbridge', { detail: '{orderId: 1}' }, /^generate-event eventbridge: invalid --detail "\{orderId: 1\}": not JSON \(.+\)\. Fix: quote it for the shell/],
    ['eventbridge', { detail: '[1]' }, /invalid --detail "\[1\]": JSON, but not an object\. Fix: give an object/],
    ['dynamodb-stream', { keys: 'Id=1' }, /^generate-event dynamodb-stream: invalid --keys "Id=1": not JSON/],
    ['dynamodb-stream', { keys: '{}' }, /invalid --keys "\{\}": no key attribute/],
    ['dynamodb-stream', { 'event-name': ['UPSERT'] }, /invalid --event-name "UPSERT": not a stream event name\. Fix: use INSERT, MODIFY, REMOVE\./],
    ['s3-put', { size: 'big' }, /^generate-event s3-put: invalid --size "big": not a whole number\. Fix: give one like 1024\.$/],
    ['s3-put', { bucket: 'My_Bucket' }, /invalid --bucket "My_Bucket": not a valid bucket name/],
    ['s3-put', { key: '' }, /invalid --key "": S3 keys are 1 to 1024 bytes/],
    ['s3-put', { time: 'yesterday' }, /invalid --time "yesterday": not an ISO 8601 time\. Fix: give one like 2026-11-22T09:30:00Z\./],
    ['sqs', { region: 'Frankfurt' }, /invalid --region "Frankfurt": not an AWS Region name/],
    ['sqs', { account: '1234' }, /invalid --account "1234": not a valid AWS account ID/],
    ['apigateway-rest', { method: 'FETCH' }, /invalid --method "FETCH": not an HTTP method\. Fix: use one of GET, POST/],
    ['apigateway-rest', { header: ['NoColon'] }, /invalid --header "NoColon": not "Name: value"/],
    ['apigateway-rest', { path: '/a?b=1' }, /invalid --path "\/a\?b=1": has a query string\. Fix: give the query with --query\./],
    ['apigateway-rest', { query: 'a=%zz' }, /invalid --query "a=%zz": "%zz" is not URL-encoded/],
    ['apigateway-rest', { resource: '/orders/{id}', path: '/users/1' }, /invalid --resource "\/orders\/\{id\}": does not match --path \/users\/1/],
    ['apigateway-http', { route: 'orders' }, /invalid --route "orders": not "METHOD \/path" nor \$default/],
    ['apigateway-http', { body: 'x', base64: 'eA==' }, /invalid --base64 "eA==": given with --body/],
    ['function-url', { base64: 'not base64!' }, /invalid --base64 "not base64!": not base64/],
    ['alb', { 'multi-value': 'yes' }, /invalid --multi-value "yes": neither true nor false\. Fix: give --multi-value true or --multi-value false\./],
    ['sns', { attribute: ['=x'] }, /invalid --attribute "=x": not "Name=value"/],
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
