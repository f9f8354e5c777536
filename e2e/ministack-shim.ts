/**
 * A named shim for one fidelity gap of ministack's ECR (1.5.33): DescribeImages with `imageIds`
 * for a tag that does not exist answers an empty list instead of ImageNotFoundException. cdk-assets
 * (and the CDK CLI's "already published?" check) then reports the image as found and skips build
 * and push, and the deploy goes on with an image that was never pushed.
 *
 * The shim is a loopback proxy in front of ministack that passes every request through and turns
 * such an answer into the ImageNotFoundException real ECR sends. It decides from ministack's own
 * answer (fewer imageDetails than imageIds asked for), so it cannot make a missing image look
 * present. `e2e/ministack-shim.e2e.ts` checks both that ministack still has the gap (drop the shim
 * when it does not) and that a missing image is reported missing through the shim.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

const DESCRIBE_IMAGES = 'AmazonEC2ContainerRegistry_V20150921.DescribeImages';

export interface MinistackShim {
  readonly endpoint: string;
  /** DescribeImages answers the shim corrected (empty list → ImageNotFoundException). */
  readonly corrected: string[];
  close(): Promise<void>;
}

export async function startMinistackShim(upstream: string): Promise<MinistackShim> {
  const target = new URL(upstream);
  const corrected: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
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
              corrected.push(`${asked.repositoryName}:${id.imageTag ?? id.imageDigest}`);
              status = 400;
              payload = Buffer.from(JSON.stringify({
                __type: 'ImageNotFoundException',
                message: `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${asked.repositoryName}' in the registry with id '${found.registryId ?? ''}'`,
              }));
            }
          }
          const headers = { ...up.headers, 'content-length': String(payload.length) };
          res.writeHead(status, headers).end(payload);
        });
      });
      forward.on('error', e => res.writeHead(502).end(String(e)));
      forward.end(body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    corrected,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
