/**
 * `cdk-lambda-container generate-event <kind>`: sample events in the shapes AWS services send to a
 * function (the kinds `sam local generate-event` has, where they overlap), with the values users
 * change taken from options.
 *
 * Where each shape comes from is written above its generator; test/fixtures/events/<kind>.json
 * holds that sample, and the tests compare every event's keys with it, recursively.
 *
 * Determinism: given --time, an event is a function of its kind and options only: every id,
 * sequence number, hash and timestamp derives from them, so the same command prints the same
 * event. Without --time the event happens now and its ids are random, as two real events' are.
 *
 * This file holds the kinds (their names, options and generators); the generators are in s3, http
 * (through apigw/payloads), messaging, streams and eventbridge, the options, ids and times in options.
 */
import { cloudWatchLogs, eventBridge, eventBridgeSchedule } from './eventbridge';
import { alb, apiGatewayHttp, apiGatewayHttpAuthorizer, apiGatewayRequestAuthorizer, apiGatewayRest, apiGatewayTokenAuthorizer, functionUrl } from './http';
import { sns, sqs } from './messaging';
import { ACCOUNT, BUCKET, EventOptionInfo, EventOptionValues, HTTP_REQUEST, KEY, METHOD, Options, OptionSpec, PATH, REGION, SIZE, TIME } from './options';
import { s3Delete, s3Put } from './s3';
import { dynamodbStream, kinesis, STREAM_EVENTS } from './streams';
import { UsageError } from '../errors';

export type { EventOptionInfo, EventOptionValues } from './options';

export interface EventKindInfo {
  /** e.g. 's3-put'. */
  readonly kind: string;
  /** One line, e.g. 'S3 ObjectCreated:Put notification'. */
  readonly description: string;
  readonly options: readonly EventOptionInfo[];
}

interface KindSpec {
  readonly kind: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly generate: (o: Options) => unknown;
}

/** Options common to all kinds (region, time) come last in each kind's list. */
const defineKind = (name: string, description: string, generate: (o: Options) => unknown, options: OptionSpec[]): KindSpec =>
  ({ kind: name, description, generate, options: [...options, REGION, TIME] });

/** What an HTTP API's events (the request's, its authorizer's) take: the request, the route that matched, the stage. */
const HTTP_API_REQUEST: OptionSpec[] = [
  ...HTTP_REQUEST,
  { flag: 'route', description: 'the route key that matched, "METHOD /path" or $default; {name} parts give pathParameters', defaultValue: 'METHOD PATH', computed: true },
  { flag: 'stage', description: 'the stage', defaultValue: '$default' },
];
/** What a REST API's events (the request's, a REQUEST authorizer's) take: the request, the resource that matched, the stage. */
const REST_API_REQUEST: OptionSpec[] = [
  ...HTTP_REQUEST,
  { flag: 'resource', description: 'the resource that matched; {name} and {proxy+} parts give pathParameters', defaultValue: '/{proxy+}' },
  { flag: 'stage', description: 'the stage', defaultValue: 'prod' },
];

const KINDS: readonly KindSpec[] = [
  defineKind('s3-put', 'S3 ObjectCreated:Put notification', s3Put, [BUCKET, KEY, SIZE]),
  defineKind('s3-delete', 'S3 ObjectRemoved:Delete notification', s3Delete, [BUCKET, KEY]),
  defineKind('apigateway-http', 'API Gateway HTTP API request (payload format 2.0)', apiGatewayHttp, [...HTTP_API_REQUEST, ACCOUNT]),
  defineKind('apigateway-rest', 'API Gateway REST API request (Lambda proxy, payload format 1.0)', apiGatewayRest, [...REST_API_REQUEST, ACCOUNT]),
  defineKind('apigateway-authorizer-token', 'API Gateway REST API TOKEN authorizer input (the token and the method ARN)', apiGatewayTokenAuthorizer, [
    { flag: 'token', description: 'the token from the identity source header', defaultValue: 'allow' },
    METHOD,
    PATH,
    { flag: 'stage', description: 'the stage', defaultValue: 'prod' },
    ACCOUNT,
  ]),
  defineKind('apigateway-authorizer-request', 'API Gateway REST API REQUEST authorizer input (the request without its body, and the method ARN)', apiGatewayRequestAuthorizer, [...REST_API_REQUEST, ACCOUNT]),
  defineKind('apigateway-authorizer-http', 'API Gateway HTTP API Lambda authorizer input (payload format 2.0: the request without its body, routeArn, identitySource)', apiGatewayHttpAuthorizer, [
    ...HTTP_API_REQUEST,
    { flag: 'identity-source', description: 'an identity source whose value goes in identitySource: $request.header.X, $request.querystring.x, $context.x', defaultValue: '$request.header.Authorization', repeatable: true },
    ACCOUNT,
  ]),
  defineKind('function-url', 'Lambda function URL request (payload format 2.0, auth type NONE)', functionUrl, [
    ...HTTP_REQUEST,
    { flag: 'url-id', description: 'the <url-id> of https://<url-id>.lambda-url.<region>.on.aws', defaultValue: '32 letters and digits', computed: true },
  ]),
  defineKind('alb', 'Application Load Balancer request to a Lambda target group', alb, [
    ...HTTP_REQUEST,
    { flag: 'multi-value', description: 'true: the target group has multi-value headers on (multiValueHeaders, multiValueQueryStringParameters)', defaultValue: 'false' },
    { flag: 'target-group', description: 'the target group name', defaultValue: 'example-targets' },
    ACCOUNT,
  ]),
  defineKind('sns', 'SNS notification (one message)', sns, [
    { flag: 'topic', description: 'the topic name', defaultValue: 'example-topic' },
    { flag: 'subject', description: 'the subject; empty: none (null)', defaultValue: 'example subject' },
    { flag: 'message', description: 'the message', defaultValue: 'example message' },
    { flag: 'attribute', description: 'a String message attribute, "Name=value"', repeatable: true },
    ACCOUNT,
  ]),
  defineKind('sqs', 'SQS batch, one record per --body', sqs, [
    { flag: 'queue', description: 'the queue name', defaultValue: 'example-queue' },
    { flag: 'body', description: 'a message body; each one more record', defaultValue: '{"hello":"world"}', repeatable: true },
    ACCOUNT,
  ]),
  defineKind('dynamodb-stream', 'DynamoDB Streams batch (INSERT, MODIFY, REMOVE records; new and old images)', dynamodbStream, [
    { flag: 'table', description: 'the table name', defaultValue: 'example-table' },
    { flag: 'keys', description: 'the item\'s key attributes, plain JSON (sent as DynamoDB JSON)', defaultValue: '{"Id":101}' },
    { flag: 'new-image', description: 'the item after the change, plain JSON, keys added', defaultValue: '{"Message":"new value"}' },
    { flag: 'old-image', description: 'the item before the change, plain JSON, keys added', defaultValue: '{"Message":"old value"}' },
    { flag: 'event-name', description: 'INSERT, MODIFY or REMOVE; each one more record', defaultValue: 'INSERT, MODIFY, REMOVE', defaultList: STREAM_EVENTS, repeatable: true },
    ACCOUNT,
  ]),
  defineKind('kinesis', 'Kinesis Data Streams batch, one record per --data', kinesis, [
    { flag: 'stream', description: 'the stream name', defaultValue: 'example-stream' },
    { flag: 'data', description: 'a record\'s data, as text (sent base64-encoded); each one more record', defaultValue: 'Hello, this is a test 123.', repeatable: true },
    { flag: 'partition-key', description: 'the partition key', defaultValue: 'partition-key-1' },
    ACCOUNT,
  ]),
  defineKind('eventbridge', 'EventBridge event (custom or from an AWS service)', eventBridge, [
    { flag: 'source', description: 'the source', defaultValue: 'com.example.orders' },
    { flag: 'detail-type', description: 'the detail type', defaultValue: 'Order Placed' },
    { flag: 'detail', description: 'the detail, a JSON object', defaultValue: '{"orderId":"1234"}' },
    { flag: 'resource', description: 'an ARN in resources', repeatable: true },
    ACCOUNT,
  ]),
  defineKind('eventbridge-schedule', 'EventBridge scheduled rule event ("Scheduled Event" from aws.events)', eventBridgeSchedule, [
    { flag: 'rule', description: 'the rule name', defaultValue: 'example-schedule' },
    ACCOUNT,
  ]),
  defineKind('cloudwatch-logs', 'CloudWatch Logs subscription batch (awslogs.data: base64 of gzip of JSON)', cloudWatchLogs, [
    { flag: 'log-group', description: 'the log group', defaultValue: '/aws/lambda/example-function' },
    { flag: 'log-stream', description: 'the log stream', defaultValue: 'YYYY/MM/DD/[$LATEST]<32 hex digits>, from --time', computed: true },
    { flag: 'message', description: 'a log event\'s message; each one more log event', defaultValue: 'example log message', repeatable: true },
    { flag: 'filter', description: 'the subscription filter name', defaultValue: 'example-filter' },
    ACCOUNT,
  ]),
];

/** Every kind, in the order help lists them. Options common to all kinds (region, time) are included in each kind's list. */
export const EVENT_KINDS: readonly EventKindInfo[] = KINDS.map(k => ({
  kind: k.kind,
  description: k.description,
  options: k.options.map(({ flag, description, defaultValue, repeatable }) => ({
    flag,
    description,
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    ...(repeatable ? { repeatable } : {}),
  })),
}));

/**
 * A sample event. Options keyed by flag (repeatable flags: string[]); undefined values count as
 * absent. Unknown kind, an option the kind does not take, or a bad value (invalid JSON, not a
 * number): UsageError naming the kind, the flag, the value and the fix.
 */
export function generateEvent(kind: string, options: EventOptionValues = {}): unknown {
  const spec = KINDS.find(k => k.kind === kind);
  if (!spec) throw new UsageError(`generate-event: unknown event kind "${kind}". Fix: use one of ${KINDS.map(k => k.kind).join(', ')}.`);
  return spec.generate(new Options(kind, spec.options, options));
}
