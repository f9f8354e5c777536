/** `generate-event` sns and sqs: an SNS notification and an SQS batch. */
import * as crypto from 'crypto';
import type { SNSEventRecord, SNSMessage, SQSEvent } from 'aws-lambda';
import { Options, UPPER_ALNUM } from './options';

/** SNSEvent as SNS sends it: Subject null for a message published without one. */
interface SnsEvent {
  Records: Array<Omit<SNSEventRecord, 'Sns'> & { Sns: Omit<SNSMessage, 'Subject'> & { Subject: string | null } }>;
}

function attributePairs(o: Options): Array<[string, string]> {
  return o.list('attribute').map(a => {
    const eq = a.indexOf('=');
    if (eq < 1) throw o.invalid('attribute', a, 'not "Name=value"', 'give it as --attribute "Color=blue"');
    return [a.slice(0, eq), a.slice(eq + 1)];
  });
}

/**
 * Shape: SAM's sns/Sns.json and the Lambda Developer Guide's "Using Lambda with Amazon SNS" (one
 * record per invocation). Subject is null when the message was published without one.
 */
export function sns(o: Options): SnsEvent {
  const topicArn = o.arn('sns', o.name('topic', /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/, 'topic name (A-Z a-z 0-9 _ -)'));
  const subscriptionArn = `${topicArn}:${o.ids.uuid('subscription')}`;
  const subject = o.string('subject');
  const endpoint = `https://sns.${o.region}.amazonaws.com`;
  return {
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: subscriptionArn,
      Sns: {
        Type: 'Notification',
        MessageId: o.ids.uuid('message-id'),
        TopicArn: topicArn,
        Subject: subject === '' ? null : subject,
        Message: o.string('message'),
        Timestamp: o.time.toISOString(),
        SignatureVersion: '1',
        Signature: o.ids.bytes('signature', 256).toString('base64'),
        SigningCertUrl: `${endpoint}/SimpleNotificationService-${o.ids.hex('certificate', 32)}.pem`,
        UnsubscribeUrl: `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
        MessageAttributes: Object.fromEntries(attributePairs(o).map(([name, value]) => [name, { Type: 'String', Value: value }])),
      },
    }],
  };
}

/**
 * Shape: SAM's sqs/Sqs.json and the Lambda Developer Guide's "Using Lambda with Amazon SQS" (a batch
 * of two). One record per --body, sent a millisecond apart; md5OfBody is the MD5 of the body's UTF-8.
 */
export function sqs(o: Options): SQSEvent {
  const queueArn = o.arn('sqs', o.name('queue', /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/, 'queue name (1-80 of A-Z a-z 0-9 _ -)'));
  const senderId = `AIDA${o.ids.chars('sender', 17, UPPER_ALNUM)}`;
  return {
    Records: o.list('body').map((body, i) => ({
      messageId: o.ids.uuid(`message-id-${i}`),
      receiptHandle: `AQEB${o.ids.bytes(`receipt-${i}`, 96).toString('base64')}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(o.time.getTime() + i),
        SenderId: senderId,
        ApproximateFirstReceiveTimestamp: String(o.time.getTime() + i + 2),
      },
      messageAttributes: {},
      md5OfBody: crypto.createHash('md5').update(body, 'utf8').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: o.region,
    })),
  };
}
