// Page errors the same way in every engine. WebKitWebDriver (classic WebDriver) has no console stream and no
// way to run a script before the page's own, so the test server puts a small capture script first in every
// HTML page it serves, and the tests read what it caught.
import {createServer, type IncomingMessage, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {STRICT_CSP} from '../../server/dev/csp.ts';

export const CAPTURE_PATH = '/__e2e/capture.js';
/** A page that throws, rejects and logs an error once loaded: the capture must report all three. */
export const BROKEN_PATH = '/__e2e/broken.html';

// Runs in the page. An external script (not inline), so a strict Content Security Policy lets it run.
export const CAPTURE_SCRIPT = `(() => {
  const problems = (window.__e2eProblems = []);
  addEventListener('error', (e) => problems.push('pageerror: ' + e.message));
  addEventListener('unhandledrejection', (e) =>
    problems.push('unhandledrejection: ' + (e.reason && e.reason.message ? e.reason.message : String(e.reason))));
  const warnings = (window.__e2eWarnings = []);
  const warn = console.warn;
  console.warn = (...args) => {
    warnings.push(args.map(String).join(' '));
    warn.apply(console, args);
  };
  const error = console.error;
  console.error = (...args) => {
    problems.push('console: ' + args.map(String).join(' '));
    error.apply(console, args);
  };
  document.addEventListener('securitypolicyviolation', (e) =>
    problems.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));
})();
`;

/** A page under the strict policy that breaks it (an inline style): the capture must report the violation. */
export const CSP_BROKEN_PATH = '/__e2e/csp-broken.html';

const BROKEN_SCRIPT = `setTimeout(() => {
  console.error('logged on purpose');
  Promise.reject(new Error('rejected on purpose'));
  throw new Error('thrown on purpose');
});
`;

const BROKEN_PAGE = `<!doctype html><html lang="en"><head><title>Broken</title>
<script src="/__e2e/broken.js"></script></head><body><p>Broken on purpose.</p></body></html>`;

/** Puts the capture script first in an HTML document (before any other script, even in <head>). */
export function withCapture(html: string): string {
  const tag = `<script src="${CAPTURE_PATH}"></script>`;
  const head = html.match(/<head[^>]*>/i);
  if (head) return html.replace(head[0], `${head[0]}${tag}`);
  const doctype = html.match(/^\s*<!doctype[^>]*>/i);
  return doctype ? html.replace(doctype[0], `${doctype[0]}${tag}`) : tag + html;
}

export interface CaptureServer {
  url: string;
  /** POST requests to the proxy's GraphQL route, in order, with the shopper token header. */
  readonly graphql: Array<{body: unknown; token: string | null}>;
  /** Every request the pages made (method and path), in order. */
  readonly requests: string[];
  /** Answers `path` with this body from now on (an HTML body gets the capture script first). */
  serve(path: string, body: string, headers?: Record<string, string>): void;
  /**
   * Answers `path` with this script, but holds each answer until `release()`: `requested` resolves when the
   * first request for it arrives.
   */
  hold(path: string, script: string): {requested: Promise<void>; release(): void};
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

/**
 * A server in front of `target` (the demo stack) that forwards every request and puts the capture script first
 * in each HTML page. It also sees every proxy request, which the engines without request events cannot.
 */
export function startCaptureServer(target: string): Promise<CaptureServer> {
  const graphql: CaptureServer['graphql'] = [];
  const requests: string[] = [];
  const served = new Map<string, {body: string; headers: Record<string, string>}>();
  const held = new Map<string, {script: string; asked(): void; released: Promise<void>}>();
  const server: Server = createServer(async (request, response) => {
    try {
      const path = request.url ?? '/';
      requests.push(`${request.method} ${path}`);
      if (path === CAPTURE_PATH || path === '/__e2e/broken.js') {
        response.writeHead(200, {
          'content-type': 'text/javascript; charset=utf-8',
          'cache-control': 'no-store',
        });
        response.end(path === CAPTURE_PATH ? CAPTURE_SCRIPT : BROKEN_SCRIPT);
        return;
      }
      const gate = held.get(path);
      if (gate) {
        gate.asked();
        await gate.released;
        response.writeHead(200, {
          'content-type': 'text/javascript; charset=utf-8',
          'cache-control': 'no-store',
        });
        response.end(gate.script);
        return;
      }
      const own = served.get(path);
      if (own) {
        const isHtml = (own.headers['content-type'] ?? '').includes('text/html');
        response.writeHead(200, own.headers);
        response.end(isHtml ? withCapture(own.body) : own.body);
        return;
      }
      if (path === BROKEN_PATH) {
        response.writeHead(200, {'content-type': 'text/html; charset=utf-8'});
        response.end(withCapture(BROKEN_PAGE));
        return;
      }
      if (path === CSP_BROKEN_PATH) {
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': STRICT_CSP,
        });
        response.end(
          withCapture(
            '<!doctype html><html lang="en"><head></head><body><div style="color: red">inline style</div></body></html>',
          ),
        );
        return;
      }
      const body =
        request.method === 'GET' || request.method === 'HEAD' ? undefined : await readBody(request);
      if (request.method === 'POST' && path.split('?')[0] === '/bwp/graphql' && body) {
        const token = request.headers['x-bwp-shopper-token'];
        graphql.push({
          body: JSON.parse(body.toString('utf8')),
          token: typeof token === 'string' ? token : null,
        });
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers.set(name, value);
      // The proxy admits only its own origin: the page's requests pass as the demo stack's own.
      const origin = new URL(target).origin;
      if (headers.has('origin')) headers.set('origin', origin);
      const referer = headers.get('referer');
      if (referer) headers.set('referer', new URL(new URL(referer).pathname, origin).href);
      const answer = await fetch(new URL(path, target), {
        method: request.method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
        redirect: 'manual',
      });
      const out: Record<string, string> = {};
      // fetch has already decoded the body: its length and encoding change.
      answer.headers.forEach((value, name) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name))
          out[name] = value;
      });
      const bytes = Buffer.from(await answer.arrayBuffer());
      const isHtml = (answer.headers.get('content-type') ?? '').includes('text/html');
      response.writeHead(answer.status, out);
      response.end(isHtml ? withCapture(bytes.toString('utf8')) : bytes);
    } catch (error) {
      response.writeHead(502, {'content-type': 'text/plain'});
      response.end(`capture server: ${(error as Error).message}`);
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        graphql,
        requests,
        serve: (path, body, headers = {'content-type': 'text/html; charset=utf-8'}) =>
          void served.set(path, {body, headers}),
        hold(path, script) {
          let asked!: () => void;
          let release!: () => void;
          const requested = new Promise<void>((resolve) => (asked = resolve));
          const released = new Promise<void>((resolve) => (release = resolve));
          held.set(path, {script, asked, released});
          return {requested, release};
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
