/**
 * The local-testing scenario of the SAM talk, without SAM or Docker: LocalStack (open-source
 * core, host mode) serves S3; a generated s3-put event drives the thumbnailer image under the RIE,
 * which reads the upload and writes its thumbnail back through AWS_ENDPOINT_URL.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { engineEnv, HOST_ARCH, png, synth } from './helpers';
import { ExampleStack } from '../examples/app';
import { generateEvent } from '../src/cli/events';
import { invokeFunction } from '../src/cli/local/container';

const ENDPOINT = `http://127.0.0.1:${process.env.E2E_LOCALSTACK_PORT ?? 4566}`;
const env = engineEnv();
Object.assign(process.env, env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' });
const s3 = new S3Client({ endpoint: ENDPOINT, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

test('the thumbnailer reads an upload from LocalStack S3 and writes its thumbnail there', async () => {
  const assembly = synth('localstack', app => new ExampleStack(app, 'LambdaContainerExample', { architecture: HOST_ARCH }));
  const bucket = `e2e-images-${Date.now()}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/cat.png', Body: png(320, 240), ContentType: 'image/png' }));

  const event = generateEvent('s3-put', { bucket, key: 'uploads/cat.png' });
  const result = await invokeFunction(assembly, 'Thumbnailer', Buffer.from(JSON.stringify(event)), {
    engine: 'podman', rie: env.E2E_RIE, endpointUrl: ENDPOINT,
  });

  expect(JSON.parse(result.body)).toEqual({ thumbnails: [{ bucket, key: 'thumbnails/uploads/cat.jpg', size: [128, 96] }] });
  const thumbnail = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'thumbnails/uploads/cat.jpg' }));
  expect(thumbnail.ContentType).toBe('image/jpeg');
  const bytes = Buffer.from(await thumbnail.Body!.transformToByteArray());
  expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8])); // a JPEG
});
