import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { event, failure, TIME } from './generated';
import { EventOptionValues } from '../../../src/cli/events';
import { shape } from '../../util';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'events');

function fixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

const gunzipJson = (data: string) => JSON.parse(zlib.gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));

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

  test('cloudwatch-logs data decodes to the shape of the sample\'s', () => {
    const data = gunzipJson(event('cloudwatch-logs', { message: ['one', 'two'] }).awslogs.data);
    expect(shape(data)).toEqual(shape(gunzipJson(fixture('cloudwatch-logs').awslogs.data)));
  });
});

describe('eventbridge errors are usage errors that name the kind, the flag, the value and the fix', () => {
  test.each([
    ['eventbridge', { detail: '{orderId: 1}' }, /^generate-event eventbridge: invalid --detail "\{orderId: 1\}": not JSON \(.+\)\. Fix: quote it for the shell/],
    ['eventbridge', { detail: '[1]' }, /invalid --detail "\[1\]": JSON, but not an object\. Fix: give an object/],
  ] as Array<[string, EventOptionValues, RegExp]>)('%s %j', (kind, options, message) => {
    expect(failure(kind, options).message).toMatch(message);
  });
});
