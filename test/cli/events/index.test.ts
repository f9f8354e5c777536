import * as fs from 'fs';
import * as path from 'path';
import { event, failure, TIME } from './generated';
import { EVENT_KINDS, EventOptionValues, generateEvent } from '../../../src/cli/events';
import { shape } from '../../util';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'events');

function fixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

describe('the kinds', () => {
  const kinds = EVENT_KINDS.map(k => k.kind);

  test('every kind is listed once, with a one-line description and options that include region and time', () => {
    expect(kinds).toEqual(['s3-put', 's3-delete', 'apigateway-http', 'apigateway-rest', 'apigateway-authorizer-token', 'apigateway-authorizer-request',
      'apigateway-authorizer-http', 'function-url', 'alb', 'sns', 'sqs',
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
    ['apigateway-authorizer-token', 'apigateway-authorizer-token', {}],
    ['apigateway-authorizer-request', 'apigateway-authorizer-request', { query: 'foo=bar' }],
    ['apigateway-authorizer-http', 'apigateway-authorizer-http', { query: 'parameter1=value1&parameter1=value2', header: ['Cookie: cookie1; cookie2'], route: 'POST /{parameter1}', path: '/x' }],
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
});

describe('determinism', () => {
  test.each(EVENT_KINDS.map(k => k.kind))('%s given --time is the same event every time', kind => {
    expect(generateEvent(kind, { time: TIME })).toEqual(generateEvent(kind, { time: TIME }));
  });
});

describe('errors are usage errors that name the kind, the flag, the value and the fix', () => {
  test('an unknown kind lists the kinds', () => {
    expect(failure('kinesis-firehose').message).toBe(`generate-event: unknown event kind "kinesis-firehose". Fix: use one of ${EVENT_KINDS.map(k => k.kind).join(', ')}.`);
  });
});
