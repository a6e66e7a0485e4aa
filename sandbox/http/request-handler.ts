/**
 * One HTTP request to the sandbox: control endpoints, then (logged) the OAuth pages, latency,
 * faults that replace the request, routing against the OpenAPI files, the API pipeline and faults
 * applied after it (faults.ts describes them).
 */
import http from 'node:http';
import type { Fault } from '../faults.js';
import { approve, chooseLocationPage } from '../oauth.js';
import { callApi, type ApiTarget } from './api-pipeline.js';
import { controlRequest, type ControlTarget } from './control.js';
import { HttpError } from './errors.js';
import { preciseNow, redact, redactHeaders, type RequestLogEntry } from './request-log.js';
import { htmlOut, jsonOut, PROXY_HTML, queryObject, readBody, type Out } from './responses.js';
import { matchRoute, type LoadedSpec } from './spec.js';

/** The parts of a running sandbox a request uses. */
export interface RequestHandlerTarget extends ControlTarget, ApiTarget {
  specs: Map<string, LoadedSpec>;
  latencyMs(): number;
  /** Bodies held by holdBodyNext, each a function that sends it. */
  held: Set<() => void>;
  /** Timers of slowBodyNext answers, cleared on close. */
  timers: Set<NodeJS.Timeout>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createRequestHandler(sb: RequestHandlerTarget): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  return async function handle(req, res) {
    const startMs = preciseNow();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const raw = await readBody(req);

    const write = (out: Out, slowMs?: number | 'hold') => {
      const headers = { ...out.headers, 'Content-Length': String(Buffer.byteLength(out.text)) };
      if (slowMs === 'hold') {
        res.writeHead(out.status, headers);
        res.flushHeaders();
        const send = () => {
          sb.held.delete(send);
          res.end(out.text);
        };
        sb.held.add(send);
      } else if (slowMs && slowMs > 0) {
        res.writeHead(out.status, headers);
        res.flushHeaders();
        const t = setTimeout(() => {
          sb.timers.delete(t);
          res.end(out.text);
        }, slowMs);
        sb.timers.add(t);
      } else {
        res.writeHead(out.status, headers);
        res.end(out.text);
      }
    };

    if (path.startsWith('/_sandbox/')) {
      write(controlRequest(sb, method, path, raw));
      return;
    }

    // --- parse body
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    let body: unknown;
    let bodyError: string | undefined;
    const text = raw.toString('utf8');
    if (raw.length) {
      if (contentType === 'application/x-www-form-urlencoded') body = Object.fromEntries(new URLSearchParams(text));
      else if (contentType === 'application/json' || contentType === '' || contentType === 'text/plain') {
        try {
          body = JSON.parse(text);
        } catch (e) {
          if (contentType === 'application/json') bodyError = (e as Error).message;
          else body = text;
        }
      } else body = text;
    }

    const query = queryObject(url.searchParams);
    const entry: RequestLogEntry = {
      method,
      path,
      query: redact(query),
      headers: redactHeaders(req.headers),
      body: redact(body),
      status: 0,
      at: new Date().toISOString(),
      startMs,
    };
    sb.requests.push(entry);
    const ended = () => {
      entry.endMs ??= preciseNow();
    };
    res.once('finish', ended);
    res.once('close', ended);
    const send = (out: Out, slowMs?: number | 'hold') => {
      entry.status = out.status;
      write(out, slowMs);
    };

    // --- OAuth pages (no faults, no latency)
    if (method === 'GET' && (path === '/oauth/chooselocation' || path === '/v2/oauth/chooselocation')) {
      const p = chooseLocationPage(sb.state, url.searchParams);
      send(htmlOut(p.status, p.html));
      return;
    }
    if (method === 'POST' && (path === '/v2/oauth/chooselocation/approve' || path === '/oauth/chooselocation/approve')) {
      const r = approve(sb.state, isObj(body) ? body : {});
      if (r.location)
        send({
          status: 302,
          headers: { Location: r.location, 'Content-Type': 'text/plain; charset=utf-8' },
          text: `Found. Redirecting to ${r.location}`,
        });
      else send(htmlOut(r.status, r.html ?? ''));
      return;
    }

    const latencyMs = sb.latencyMs();
    if (latencyMs > 0) await sleep(latencyMs);

    // --- faults that replace the request
    const fault: Fault | undefined = sb.faults.take(method, path);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'reset') {
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'html') {
      send(htmlOut(fault.status ?? 502, PROXY_HTML(fault.status ?? 502)));
      return;
    }
    if (fault?.kind === 'fail') {
      const status = fault.status ?? 500;
      const headers = fault.headers ?? {};
      if (fault.body === undefined) {
        const message = status === 429 ? 'Too many requests' : (http.STATUS_CODES[status] ?? 'Error');
        send(jsonOut(status, { statusCode: status, message }, headers));
      } else if (typeof fault.body === 'string') {
        send({ status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, text: fault.body });
      } else send(jsonOut(status, fault.body, headers));
      return;
    }

    // --- route
    const m = matchRoute(sb.specs, method, path);
    if (!m) {
      send(jsonOut(404, { statusCode: 404, message: `Cannot ${method} ${path}`, error: 'Not Found' }));
      return;
    }
    entry.operationId = m.operationId;
    const extraHeaders: Record<string, string> = {};
    let out: Out;
    try {
      if (bodyError !== undefined) throw new HttpError(400, { statusCode: 400, message: bodyError, error: 'Bad Request' });
      const r = callApi(sb, m, { method, path, headers: req.headers, query, body, contentType }, extraHeaders);
      out = jsonOut(r.status, r.body, { ...extraHeaders, ...(r.headers ?? {}) });
    } catch (e) {
      if (e instanceof HttpError) out = jsonOut(e.status, e.body, extraHeaders);
      else {
        out = jsonOut(
          500,
          { statusCode: 500, message: `Sandbox error: ${(e as Error).message}`, error: 'Internal Server Error' },
          extraHeaders,
        );
        console.error('[sandbox] handler error', e);
      }
    }

    // --- faults applied after the request was performed
    if (fault?.kind === 'createThenFail' && out.status >= 200 && out.status < 300) {
      const status = fault.status ?? 422;
      const b =
        fault.body ??
        (status === 422
          ? { statusCode: 422, message: ['Unprocessable Entity'], error: 'Unprocessable Entity' }
          : { statusCode: status, message: http.STATUS_CODES[status] ?? 'Error' });
      out = jsonOut(status, b, extraHeaders);
    } else if (fault?.kind === 'malformed') {
      out = { status: fault.status ?? 200, headers: out.headers, text: out.text.slice(0, Math.max(1, Math.floor(out.text.length / 2))) };
    }
    send(out, fault?.kind === 'slow' ? fault.ms : fault?.kind === 'hold' ? 'hold' : undefined);
  };
}
