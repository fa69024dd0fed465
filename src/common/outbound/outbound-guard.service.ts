import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { Agent, buildConnector, Dispatcher } from 'undici';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import {
  addressProblem,
  AllowEntry,
  defaultPort,
  isAllowedHost,
  isLocalhostName,
  literalAddress,
  parseAllowEntry,
  parseOutboundUrl,
} from './outbound-policy';

// The DNS edge: tests swap it to make a name resolve wherever they like.
@Injectable()
export class HostResolver {
  async lookup(hostname: string): Promise<LookupAddress[]> {
    return dnsLookup(hostname, { all: true, verbatim: true });
  }
}

// Raised when a connection is refused by the policy: the request never left, so callers may
// treat it like a refused connection.
export class OutboundRefusedError extends Error {
  readonly code = 'EOUTBOUNDREFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

// The one outbound URL policy, used twice: when a URL is configured (checkUrl: a 400 naming the
// field) and when Reelay connects (dispatcher(): every resolved address is checked at connect
// time, so a name that later resolves to 127.0.0.1 — DNS rebinding — is refused too).
// Redirects are never followed by the dispatcher (undici follows none unless asked).
@Injectable()
export class OutboundGuard {
  private readonly allow: AllowEntry[];

  constructor(
    config: AppConfig,
    private readonly resolver: HostResolver,
  ) {
    this.allow = config.outboundAllowHosts.map(parseAllowEntry).filter((a): a is AllowEntry => a !== null);
  }

  // Config-time check: the normalised URL (what to store), or a 400 naming `field`. A name that
  // does not resolve now is accepted (the connect-time check still applies).
  async checkUrl(field: string, raw: string): Promise<string> {
    const parsed = parseOutboundUrl(raw);
    if (!parsed.ok) throw DomainError.validation(field, parsed.problem);
    const { url } = parsed;
    if (url.search || url.hash) throw DomainError.validation(field, 'must not have a query or fragment');
    const normalised = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    if (this.allowed(url.hostname, url.port ? Number(url.port) : defaultPort(url.protocol))) return normalised;
    const problem = await this.hostProblem(url);
    if (problem) throw DomainError.validation(field, problem);
    return normalised;
  }

  // An undici Agent whose every connection passes the policy.
  dispatcher(options: Agent.Options = {}, connectTimeoutMs = 5_000): Dispatcher {
    return new Agent({ ...options, connect: this.connector(connectTimeoutMs) });
  }

  connector(timeoutMs: number): buildConnector.connector {
    const plain = buildConnector({ timeout: timeoutMs });
    const guarded = buildConnector({ timeout: timeoutMs, lookup: this.guardedLookup() });
    return (opts, callback) => {
      const host = opts.hostname.startsWith('[') ? opts.hostname.slice(1, -1) : opts.hostname;
      const port = opts.port ? Number(opts.port) : defaultPort(opts.protocol);
      if (this.allowed(host, port)) return plain(opts, callback);
      const refuse = (problem: string) => {
        process.nextTick(() => callback(new OutboundRefusedError(`Refused to connect to ${host}: ${problem}`), null));
        return undefined as never;
      };
      if (isIP(host)) {
        const problem = addressProblem(host);
        return problem ? refuse(problem) : plain(opts, callback);
      }
      if (isLocalhostName(host)) return refuse('points at localhost');
      return guarded(opts, callback);
    };
  }

  private allowed(hostname: string, port: number): boolean {
    const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    return isAllowedHost(this.allow, host, port);
  }

  private async hostProblem(url: URL): Promise<string | null> {
    if (isLocalhostName(url.hostname)) return 'points at localhost';
    const ip = literalAddress(url);
    if (ip) return addressProblem(ip);
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolver.lookup(url.hostname);
    } catch {
      return null;
    }
    for (const a of addresses) {
      const problem = addressProblem(a.address);
      if (problem) return `resolves to an address that ${problem.replace(/^points at/, 'is')}`;
    }
    return null;
  }

  // dns.lookup's shape, refusing the name when any of its addresses is not public.
  private guardedLookup() {
    return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
      this.resolver.lookup(hostname).then(
        (addresses) => {
          const bad = addresses.map((a) => addressProblem(a.address)).find((p) => p !== null);
          if (bad || addresses.length === 0) {
            callback(new OutboundRefusedError(`Refused to connect to ${hostname}: ${bad ?? 'no address'}`), []);
            return;
          }
          const wanted =
            options.family === 4 || options.family === 6
              ? addresses.filter((a) => a.family === options.family)
              : addresses;
          if (options.all) callback(null, wanted);
          else if (wanted[0]) callback(null, wanted[0].address, wanted[0].family);
          else callback(new OutboundRefusedError(`Refused to connect to ${hostname}: no address`), []);
        },
        (err: NodeJS.ErrnoException) => callback(err, []),
      );
    };
  }
}
