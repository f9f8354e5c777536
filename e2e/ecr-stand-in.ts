/**
 * A stand-in for the two AWS APIs cdk-assets calls to publish an image — STS (GetCallerIdentity,
 * AssumeRole) and ECR (DescribeRepositories, DescribeImages, GetAuthorizationToken) — on loopback,
 * answering with URIs of the local registry. Set `AWS_ENDPOINT_URL` to its endpoint and the real
 * cdk-assets (and the AWS SDK v3 inside it) publishes into that registry.
 *
 * Written by hand: no emulator here serves ECR over a real registry (LocalStack's open-source core
 * has no ECR; moto's ECR answers with *.amazonaws.com URIs and stores no image). Image existence
 * is asked of the registry itself, so "already published" means what it means on ECR.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export interface EcrStandInProps {
  /** The registry host:port that repository URIs point at (plain HTTP). */
  readonly registry: string;
  /** The account STS reports and repositories belong to. */
  readonly account: string;
  /** The repositories that exist (as `cdk bootstrap` or a deployed stack created them); read on every call, so a test can add one. */
  readonly repositories: string[];
}

/** One API call the stand-in answered, for assertions. */
export interface StandInCall {
  readonly service: 'sts' | 'ecr';
  readonly action: string;
  /** The access key the request was signed with (an AssumeRole session key after AssumeRole). */
  readonly accessKeyId?: string;
  readonly params: Record<string, unknown>;
}

export interface EcrStandIn {
  readonly endpoint: string;
  readonly calls: StandInCall[];
  close(): Promise<void>;
}

const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921.';
const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
/** The access key of sessions this stand-in hands out. */
export const SESSION_KEY_PREFIX = 'ASIASTANDIN';

export async function startEcrStandIn(props: EcrStandInProps): Promise<EcrStandIn> {
  const calls: StandInCall[] = [];
  let sessions = 0;

  const sts = (action: string, params: Record<string, string>): [number, string] => {
    const wrap = (result: string) => `<${action}Response xmlns="${STS_XMLNS}"><${action}Result>${result}</${action}Result>`
      + `<ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></${action}Response>`;
    switch (action) {
      case 'GetCallerIdentity':
        return [200, wrap(`<Arn>arn:aws:iam::${props.account}:user/e2e</Arn><UserId>AIDASTANDIN</UserId><Account>${props.account}</Account>`)];
      case 'AssumeRole': {
        const role = params.RoleArn ?? '';
        if (!role.startsWith(`arn:aws:iam::${props.account}:role/`)) {
          return [403, `<ErrorResponse xmlns="${STS_XMLNS}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to assume ${role}</Message></Error></ErrorResponse>`];
        }
        const key = `${SESSION_KEY_PREFIX}${++sessions}`;
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        return [200, wrap(`<Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>stand-in-secret</SecretAccessKey>`
          + `<SessionToken>stand-in-token-${sessions}</SessionToken><Expiration>${expiration}</Expiration></Credentials>`
          + `<AssumedRoleUser><AssumedRoleId>AROASTANDIN:${params.RoleSessionName}</AssumedRoleId>`
          + `<Arn>${role.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${params.RoleSessionName}</Arn></AssumedRoleUser>`)];
      }
      default:
        return [400, `<ErrorResponse xmlns="${STS_XMLNS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>stand-in does not serve ${action}</Message></Error></ErrorResponse>`];
    }
  };

  const ecrError = (type: string, message: string): [number, unknown] => [400, { __type: type, message }];
  const ecr = async (action: string, params: any): Promise<[number, unknown]> => {
    switch (action) {
      case 'GetAuthorizationToken':
        return [200, {
          authorizationData: [{
            authorizationToken: Buffer.from('AWS:stand-in-password').toString('base64'),
            expiresAt: Math.floor(Date.now() / 1000) + 43200,
            proxyEndpoint: `http://${props.registry}`,
          }],
        }];
      case 'DescribeRepositories': {
        const names: string[] = params.repositoryNames ?? props.repositories;
        const missing = names.find(n => !props.repositories.includes(n));
        if (missing) return ecrError('RepositoryNotFoundException', `The repository with name '${missing}' does not exist in the registry with id '${props.account}'`);
        return [200, {
          repositories: names.map(repositoryName => ({
            repositoryName,
            registryId: props.account,
            repositoryArn: `arn:aws:ecr:us-east-1:${props.account}:repository/${repositoryName}`,
            repositoryUri: `${props.registry}/${repositoryName}`,
          })),
        }];
      }
      case 'DescribeImages': {
        const repositoryName: string = params.repositoryName;
        if (!props.repositories.includes(repositoryName)) return ecrError('RepositoryNotFoundException', `The repository with name '${repositoryName}' does not exist`);
        const details = [];
        for (const id of params.imageIds ?? []) {
          const digest = await registryDigest(props.registry, repositoryName, id.imageTag ?? id.imageDigest);
          if (!digest) return ecrError('ImageNotFoundException', `The image with imageId {imageTag:'${id.imageTag}'} does not exist within the repository with name '${repositoryName}'`);
          details.push({ registryId: props.account, repositoryName, imageDigest: digest, imageTags: id.imageTag ? [id.imageTag] : [] });
        }
        return [200, { imageDetails: details }];
      }
      default:
        return ecrError('UnknownOperationException', `stand-in does not serve ${action}`);
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const accessKeyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
        const target = String(req.headers['x-amz-target'] ?? '');
        if (target.startsWith(ECR_TARGET)) {
          const action = target.slice(ECR_TARGET.length);
          const params = body ? JSON.parse(body) : {};
          calls.push({ service: 'ecr', action, accessKeyId, params });
          const [status, payload] = await ecr(action, params);
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
          return;
        }
        const params = Object.fromEntries(new URLSearchParams(body));
        const action = params.Action ?? '';
        calls.push({ service: 'sts', action, accessKeyId, params });
        const [status, xml] = sts(action, params);
        res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
      })().catch(e => res.writeHead(500).end(String(e)));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

/** The manifest digest the registry holds under `reference`, or undefined. */
async function registryDigest(registry: string, repository: string, reference: string): Promise<string | undefined> {
  const res = await fetch(`http://${registry}/v2/${repository}/manifests/${reference}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  return res.ok ? res.headers.get('docker-content-digest') ?? undefined : undefined;
}
