// One delivery attempt: POST the signed body, wait at most `timeoutMs`, keep at most 1 KB of the
// answer. Addresses are checked after resolution (targets.ts).
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { WebhookSettings } from '../config';
import { addressRefusal, checkedLookup, TargetRefused, urlRefusal } from './targets';

export const RESPONSE_KEPT_BYTES = 1024;

export interface AttemptResult {
  status: number;
  /** The first 1 KB of the answer's body (as UTF-8 text). */
  body: string;
}

/**
 * @throws TargetRefused when the URL or an address it resolves to is refused; any other error
 *   (timeout, connection refused) is the receiver's and worth another attempt.
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, opts: { timeoutMs: number; settings: WebhookSettings }): Promise<AttemptResult> {
  const why = urlRefusal(url, opts.settings);
  if (why) return Promise.reject(new TargetRefused(why));
  const u = new URL(url);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) {
    const refused = addressRefusal(host, opts.settings);
    if (refused) return Promise.reject(new TargetRefused(refused));
  }
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'public-data-governance-webhooks/1', ...headers },
        lookup: checkedLookup(opts.settings) as never,
        timeout: opts.timeoutMs,
        // No redirects are followed (node does not): a 3xx is an answer, not a new target.
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (c: Buffer) => {
          if (kept < RESPONSE_KEPT_BYTES) {
            chunks.push(c.subarray(0, RESPONSE_KEPT_BYTES - kept));
            kept += Math.min(c.length, RESPONSE_KEPT_BYTES - kept);
          }
          // Beyond 1 KB nothing is kept, and nothing more is read.
          if (kept >= RESPONSE_KEPT_BYTES) res.destroy();
        });
        const done = () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}
