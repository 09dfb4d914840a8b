// A fake for fault injection only: an HTTP proxy on 127.0.0.1 in front of the real registry that
// answers 500/429 instead of forwarding, or cuts connections mid-upload, for the requests its
// rules match; everything else passes through unchanged (Host kept, so Locations point back here).
import { createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from 'node:http';

export type Fault =
  /** Answer with this status instead of forwarding. */
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  /** Read this many request-body bytes, optionally forward them upstream, then cut both connections. */
  | { readonly kind: 'drop'; readonly afterBytes: number; readonly forward: boolean }
  /** Forward the whole request, let the registry act on it, then cut the connection unanswered. */
  | { readonly kind: 'drop-response' };

export interface FaultRule {
  readonly method?: string;
  readonly path?: RegExp;
  /** Let this many matching requests through first. */
  readonly skip?: number;
  /** Fault this many matching requests, then pass the rest (default 1). */
  readonly times?: number;
  readonly fault: Fault;
}

// The proxy; `log` records what it did with each request.
export class FaultyProxy {
  readonly log: { method: string; path: string; action: 'forwarded' | 'faulted' }[] = [];
  private readonly counters = new Map<FaultRule, number>();
  private server?: Server;
  port = 0;

  constructor(private readonly upstreamPort: number, readonly rules: FaultRule[] = []) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.port = await listen(this.server);
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  private match(req: IncomingMessage): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method !== req.method) continue;
      if (rule.path && !rule.path.test(req.url ?? '')) continue;
      const seen = (this.counters.get(rule) ?? 0) + 1;
      this.counters.set(rule, seen);
      const skip = rule.skip ?? 0;
      if (seen > skip && seen <= skip + (rule.times ?? 1)) return rule.fault;
    }
    return undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const fault = this.match(req);
    const path = (req.url ?? '/').split('?')[0]!;
    this.log.push({ method: req.method ?? '', path, action: fault ? 'faulted' : 'forwarded' });
    if (fault?.kind === 'status') {
      req.resume();
      res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers }).end(fault.body ?? `{"errors":[{"code":"UNAVAILABLE","message":"injected ${fault.status}"}]}`);
      return;
    }
    const forward = () => {
      const upstream = httpRequest({ host: '127.0.0.1', port: this.upstreamPort, method: req.method, path: req.url, headers: req.headers });
      upstream.on('error', () => res.destroy());
      return upstream;
    };
    if (fault?.kind === 'drop') {
      const upstream = fault.forward ? forward() : undefined;
      let seen = 0;
      req.on('data', (chunk: Buffer) => {
        if (seen >= fault.afterBytes) return;
        const take = chunk.subarray(0, fault.afterBytes - seen);
        seen += take.length;
        upstream?.write(take);
        if (seen >= fault.afterBytes) {
          req.socket.destroy();
          setTimeout(() => upstream?.destroy(), 50);
        }
      });
      return;
    }
    const upstream = forward();
    upstream.on('response', (up) => {
      if (fault?.kind === 'drop-response') {
        up.resume();
        up.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  }
}

// Listens on a free 127.0.0.1 port and resolves with it.
export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('no port'));
    });
  });
}
