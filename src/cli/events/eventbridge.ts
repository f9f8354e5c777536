/** `generate-event` eventbridge, eventbridge-schedule and cloudwatch-logs: EventBridge events, a CloudWatch Logs batch. */
import * as zlib from 'zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent, EventBridgeEvent } from 'aws-lambda';
import { isoSeconds, Options, pad } from './options';

/**
 * Shape: the EventBridge User Guide's "Amazon EventBridge events" (version, id, detail-type, source,
 * account, time to the second, region, resources, detail); recorded in aws-powertools
 * tests/events/eventBridgeEvent.json.
 */
export function eventBridge(o: Options): EventBridgeEvent<string, Record<string, unknown>> {
  return {
    'version': '0',
    'id': o.ids.uuid('id'),
    'detail-type': o.string('detail-type'),
    'source': o.string('source'),
    'account': o.account(),
    'time': isoSeconds(o.time),
    'region': o.region,
    'resources': o.list('resource'),
    'detail': o.jsonObject('detail'),
  };
}

/** Shape: SAM's cloudwatch/ScheduledEvent.json, with the version "0" every EventBridge event has. */
export function eventBridgeSchedule(o: Options): EventBridgeEvent<'Scheduled Event', Record<string, never>> {
  const rule = o.name('rule', /^[A-Za-z0-9_.-]{1,64}$/, 'rule name (1-64 of A-Z a-z 0-9 _ . -)');
  return {
    'version': '0',
    'id': o.ids.uuid('id'),
    'detail-type': 'Scheduled Event',
    'source': 'aws.events',
    'account': o.account(),
    'time': isoSeconds(o.time),
    'region': o.region,
    'resources': [o.arn('events', `rule/${rule}`)],
    'detail': {},
  };
}

/**
 * Shape: SAM's cloudwatch/CloudwatchLogs.json (awslogs.data) and, decoded, the Lambda Developer
 * Guide's "Using Lambda with CloudWatch Logs": base64(gzip(JSON)) of a DATA_MESSAGE with one log
 * event per --message, a millisecond apart.
 */
export function cloudWatchLogs(o: Options): CloudWatchLogsEvent {
  const t = o.time;
  const logStream = o.given('log-stream') ?? `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}/[$LATEST]${o.ids.hex('log-stream', 32)}`;
  const data: CloudWatchLogsDecodedData = {
    messageType: 'DATA_MESSAGE',
    owner: o.account(),
    logGroup: o.string('log-group'),
    logStream,
    subscriptionFilters: [o.string('filter')],
    logEvents: o.list('message').map((message, i) => ({ id: o.ids.sequence('event-id', '3', 56, i), timestamp: t.getTime() + i, message })),
  };
  return { awslogs: { data: zlib.gzipSync(Buffer.from(JSON.stringify(data), 'utf8')).toString('base64') } };
}
