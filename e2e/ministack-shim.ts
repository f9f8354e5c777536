/**
 * A named shim for two fidelity gaps of ministack's ECR (1.5.33), a loopback proxy in front of it
 * that passes every other request through:
 *
 * 1. DescribeImages with `imageIds` for a tag that does not exist answers an empty list instead of
 *    ImageNotFoundException. cdk-assets (and the CDK CLI's "already published?" check) then reports
 *    the image as found and skips build and push. The shim turns such an answer (fewer
 *    imageDetails than imageIds, by ministack's own answer) into the ImageNotFoundException ECR
 *    sends, so it cannot make a missing image look present.
 * 2. BatchDeleteImage by tag deletes the whole image, every tag with it. ECR removes only that tag
 *    and deletes the image when it was the last one; the in-use markers rely on that (removing
 *    one function's marker must leave the image to its content tag and the other functions'
 *    markers). The shim reads the image's tags and manifest first, forwards the delete, and puts
 *    the manifest back under the tags that should have stayed.
 *
 * The CDK CLI reaches ministack through an instance in the deploy suite; ministack's own Lambda
 * functions (the in-use marker's handler) through one that scripts/e2e/ministack.sh starts (run as
 * `ts-node e2e/ministack-shim.ts <port> <upstream>`), named in ministack's AWS_ENDPOINT_URL.
 * e2e/deploy.e2e.ts checks that ministack still has both gaps (drop the shim when it has not) and
 * that the shim gives ECR's answers.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

const ECR = 'AmazonEC2ContainerRegistry_V20150921.';
const DESCRIBE_IMAGES = `${ECR}DescribeImages`;
const BATCH_DELETE_IMAGE = `${ECR}BatchDeleteImage`;

/** One API call that went through the shim, for assertions. */
export interface ShimCall {
  /** The signing service of its Authorization header (`ecr`, `sts`, `s3`…). */
  readonly service?: string;
  /** The action (X-Amz-Target or the form's Action), or the method and path of a REST call. */
  readonly action: string;
  /** The access key it was signed with (a session's key after AssumeRole). */
  readonly accessKeyId?: string;
  /** The input of a JSON or form-encoded call. */
  readonly params: Record<string, unknown>;
}

export interface MinistackShim {
  readonly endpoint: string;
  /** Answers the shim corrected: `DescribeImages <repo>:<tag>` and `BatchDeleteImage <repo>:<tag>`. */
  readonly corrected: string[];
  /** Every call it passed on, in order. */
  readonly calls: ShimCall[];
  close(): Promise<void>;
}

function describeCall(req: http.IncomingMessage, body: Buffer): ShimCall {
  const credential = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  const signed = { accessKeyId: credential?.[1], service: credential?.[2] };
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    let params: Record<string, unknown> = {};
    try { params = JSON.parse(body.toString('utf8') || '{}'); } catch { /* not JSON: no params */ }
    return { ...signed, action: target.slice(target.lastIndexOf('.') + 1), params };
  }
  if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    return { ...signed, action: form.Action ?? `${req.method} ${req.url}`, params: form };
  }
  return { ...signed, action: `${req.method} ${req.url}`, params: {} };
}

export async function startMinistackShim(upstream: string, port = 0, log?: (line: string) => void): Promise<MinistackShim> {
  const target = new URL(upstream);
  const corrected: string[] = [];
  const calls: ShimCall[] = [];
  /** One ECR call to ministack, signed as the request being served was. */
  type Answer = { status: number; json: any };
  const call = (headers: http.IncomingHttpHeaders, action: string, input: unknown): Promise<Answer> => new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(input));
    const up = http.request({
      host: target.hostname,
      port: target.port,
      path: '/',
      method: 'POST',
      headers: { ...headers, 'x-amz-target': `${ECR}${action}`, 'content-length': String(payload.length) },
    }, r => {
      const parts: Buffer[] = [];
      r.on('data', c => parts.push(c));
      r.on('end', () => resolve({ status: r.statusCode ?? 500, json: JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') }));
    });
    up.on('error', reject);
    up.end(payload);
  });

  /** Before ministack deletes a tagged image whole: what ECR would leave (the other tags, the manifest). */
  const survivors = async (headers: http.IncomingHttpHeaders, request: any) => {
    const keep: Array<{ repositoryName: string; registryId?: string; tags: string[]; manifest: string; mediaType: string; deleted: string }> = [];
    for (const id of request.imageIds ?? []) {
      if (!id.imageTag) continue;
      const ids = { registryId: request.registryId, repositoryName: request.repositoryName, imageIds: [{ imageTag: id.imageTag }] };
      const described = await call(headers, 'DescribeImages', ids);
      const tags: string[] = (described.json.imageDetails?.[0]?.imageTags ?? []).filter((t: string) => t !== id.imageTag);
      if (described.status !== 200 || tags.length === 0) continue;
      const got = await call(headers, 'BatchGetImage', ids);
      const image = got.json.images?.[0];
      if (!image) continue;
      const { repositoryName, registryId } = request;
      keep.push({ repositoryName, registryId, tags, manifest: image.imageManifest, mediaType: image.imageManifestMediaType, deleted: id.imageTag });
    }
    return keep;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => void (async () => {
      const body = Buffer.concat(chunks);
      calls.push(describeCall(req, body));
      const untag = req.headers['x-amz-target'] === BATCH_DELETE_IMAGE ? await survivors(req.headers, JSON.parse(body.toString('utf8') || '{}')) : [];
      const forward = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, up => {
        const answer: Buffer[] = [];
        up.on('data', c => answer.push(c));
        up.on('end', () => {
          let payload = Buffer.concat(answer);
          let status = up.statusCode ?? 500;
          if (req.headers['x-amz-target'] === DESCRIBE_IMAGES && status === 200) {
            const asked = JSON.parse(body.toString('utf8') || '{}');
            const found = JSON.parse(payload.toString('utf8') || '{}');
            const ids: Array<{ imageTag?: string; imageDigest?: string }> = asked.imageIds ?? [];
            if (ids.length > 0 && (found.imageDetails ?? []).length < ids.length) {
              const matches = (i: { imageTag?: string; imageDigest?: string }, d: any) =>
                (i.imageTag && d.imageTags?.includes(i.imageTag)) || d.imageDigest === i.imageDigest;
              const id = ids.find(i => !(found.imageDetails ?? []).some((d: any) => matches(i, d)))!;
              corrected.push(`DescribeImages ${asked.repositoryName}:${id.imageTag ?? id.imageDigest}`);
              log?.(`DescribeImages ${asked.repositoryName}:${id.imageTag ?? id.imageDigest}: not found`);
              status = 400;
              payload = Buffer.from(JSON.stringify({
                __type: 'ImageNotFoundException',
                message: `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${asked.repositoryName}' in the registry with id '${found.registryId ?? ''}'`,
              }));
            }
          }
          void (async () => {
            // Put back the tags ECR would have kept (the image record, not its blobs, was deleted).
            for (const k of untag) {
              for (const imageTag of k.tags) {
                await call(req.headers, 'PutImage', { registryId: k.registryId, repositoryName: k.repositoryName, imageTag, imageManifest: k.manifest, imageManifestMediaType: k.mediaType });
              }
              corrected.push(`BatchDeleteImage ${k.repositoryName}:${k.deleted}`);
              log?.(`BatchDeleteImage ${k.repositoryName}:${k.deleted}: kept ${k.tags.join(', ')}`);
            }
            const headers = { ...up.headers, 'content-length': String(payload.length) };
            res.writeHead(status, headers).end(payload);
          })().catch(e => res.writeHead(502).end(String(e)));
        });
      });
      forward.on('error', e => res.writeHead(502).end(String(e)));
      forward.end(body);
    })().catch(e => res.writeHead(502).end(String(e))));
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    corrected,
    calls,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

if (require.main === module) {
  const [port, upstream] = process.argv.slice(2);
  if (!port || !upstream) {
    console.error('usage: ministack-shim <port> <upstream>');
    process.exit(2);
  }
  void startMinistackShim(upstream, Number(port), line => console.log(`ministack-shim: ${line}`))
    .then(s => console.log(`ministack-shim: ${s.endpoint} -> ${upstream}`));
}
