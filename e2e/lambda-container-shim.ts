/**
 * A named shim for two gaps between ministack (1.5.33) and Lambda, on the Docker API ministack
 * creates its function containers through (a unix socket in front of the engine's).
 *
 * 1. Runtime API. ministack runs an image function's container as the image (or ImageConfig) says
 *    and posts the event to its port 8080, so it only works for images that carry the Runtime
 *    Interface Emulator themselves (AWS's base images start it from /lambda-entrypoint.sh). Real
 *    Lambda gives every image its Runtime API, so images on other bases (a Runtime Interface Client
 *    as ENTRYPOINT) and custom entrypoints (a `bootstrap`) fail there with
 *    "AWS_LAMBDA_RUNTIME_API: parameter not set", although they run on Lambda. A container created
 *    from an image whose effective entrypoint is not /lambda-entrypoint.sh gets the RIE in front
 *    of it, mounted read-only — what AWS's guide says to do to test such images locally
 *    (`--entrypoint /aws-lambda/aws-lambda-rie <entrypoint> <cmd>`). The function's own entrypoint
 *    and command still run. Images that bring the RIE are left alone.
 * 2. Network. The emulator listens on 127.0.0.1 only, and tells functions to call it at
 *    host.docker.internal. Containers get slirp4netns with the host's loopback reachable at
 *    10.0.2.2 (and host.docker.internal pointing there) instead of the bridge network, which is
 *    unreachable from loopback-only services and leaves iptables chains behind; the published
 *    port 8080 works the same.
 *
 * e2e/deploy.e2e.ts invokes an RIC image and a custom runtime through ministack (they answer only
 * with the shim) and checks the rewrite rules below. Run as a script:
 * `ts-node e2e/lambda-container-shim.ts <listen socket> <engine socket> <RIE dir>`.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';

export const AWS_BASE_ENTRYPOINT = '/lambda-entrypoint.sh';
const RIE_MOUNT = '/aws-lambda';
/** Where slirp4netns (allow_host_loopback) shows the host's 127.0.0.1 to a container. */
const HOST_LOOPBACK = '10.0.2.2';

export interface ContainerSpec {
  Image: string;
  Entrypoint?: string[] | string | null;
  Cmd?: string[] | string | null;
  HostConfig?: { Binds?: string[]; [k: string]: unknown };
  [k: string]: unknown;
}

export interface ImageConfig {
  readonly entrypoint?: string[] | null;
  readonly cmd?: string[] | null;
  readonly architecture?: string;
}

const list = (x: string[] | string | null | undefined): string[] => (x == null ? [] : Array.isArray(x) ? x : [x]);

/** The create request with the RIE in front, or undefined when the image runs as it is. */
export function withRuntimeApi(spec: ContainerSpec, image: ImageConfig, rieDir: string): ContainerSpec | undefined {
  const entrypoint = spec.Entrypoint != null && list(spec.Entrypoint).length > 0 ? list(spec.Entrypoint) : list(image.entrypoint);
  if (entrypoint.length === 0 || entrypoint[0] === AWS_BASE_ENTRYPOINT || entrypoint[0].startsWith(`${RIE_MOUNT}/`)) return undefined;
  const cmd = spec.Cmd != null && list(spec.Cmd).length > 0 ? list(spec.Cmd) : list(image.cmd);
  const rie = `${RIE_MOUNT}/aws-lambda-rie-${image.architecture === 'arm64' ? 'arm64' : 'x86_64'}`;
  return {
    ...spec,
    Entrypoint: [rie, ...entrypoint],
    Cmd: cmd,
    HostConfig: { ...(spec.HostConfig ?? {}), Binds: [...(spec.HostConfig?.Binds ?? []), `${rieDir}:${RIE_MOUNT}:ro`] },
  };
}

/** The container on slirp4netns, the host's loopback at 10.0.2.2 and host.docker.internal. */
export function withHostLoopback(spec: ContainerSpec): ContainerSpec {
  const hostConfig = spec.HostConfig ?? {};
  const extraHosts = (hostConfig.ExtraHosts as string[] | undefined) ?? [];
  return {
    ...spec,
    HostConfig: {
      ...hostConfig,
      NetworkMode: 'slirp4netns:allow_host_loopback=true',
      ExtraHosts: [...extraHosts.filter(h => !h.startsWith('host.docker.internal:')), `host.docker.internal:${HOST_LOOPBACK}`],
    },
  };
}

type Answer = { status: number; body: Buffer };
function request(socketPath: string, method: string, path: string, headers: http.OutgoingHttpHeaders, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path, headers }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 500, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function startLambdaContainerShim(listen: string, engine: string, rieDir: string): http.Server {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let body = Buffer.concat(chunks);
        const headers = { ...req.headers };
        if (req.method === 'POST' && /^(\/v[\d.]+)?\/containers\/create/.test(req.url ?? '') && body.length > 0) {
          const spec: ContainerSpec = JSON.parse(body.toString('utf8'));
          const inspected = await request(engine, 'GET', `/images/${encodeURIComponent(spec.Image)}/json`, {});
          if (inspected.status === 200) {
            const image = JSON.parse(inspected.body.toString('utf8'));
            const config = { entrypoint: image.Config?.Entrypoint, cmd: image.Config?.Cmd, architecture: image.Architecture };
            const withApi = withRuntimeApi(spec, config, rieDir);
            if (withApi) console.log(`lambda-container-shim: ${spec.Image}: entrypoint ${JSON.stringify(withApi.Entrypoint)}`);
            body = Buffer.from(JSON.stringify(withHostLoopback(withApi ?? spec)));
            headers['content-length'] = String(body.length);
          }
        }
        // Everything else streams through (logs, waits).
        const forward = http.request({ socketPath: engine, method: req.method, path: req.url, headers }, up => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
        });
        forward.on('error', e => { if (!res.headersSent) res.writeHead(502); res.end(String(e)); });
        forward.end(body);
      })().catch(e => { if (!res.headersSent) res.writeHead(500); res.end(String(e)); });
    });
  });
  // Hijacked connections (attach, exec): the raw bytes both ways.
  server.on('upgrade', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const upstream = net.connect(engine, () => {
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  fs.rmSync(listen, { force: true });
  server.listen(listen);
  return server;
}

if (require.main === module) {
  const [listen, engine, rieDir] = process.argv.slice(2);
  if (!listen || !engine || !rieDir) {
    console.error('usage: lambda-container-shim <listen socket> <engine socket> <RIE dir>');
    process.exit(2);
  }
  startLambdaContainerShim(listen, engine, rieDir);
  console.log(`lambda-container-shim: ${listen} -> ${engine} (RIE from ${rieDir})`);
}
