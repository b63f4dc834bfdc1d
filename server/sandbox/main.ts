// `npm run sandbox`: the sandbox alone on PORT, configured by the environment.
import {serve} from '@hono/node-server';
import {parseFaultHeader} from './faults.ts';
import {createSandbox} from './sandbox.ts';

const env = process.env;
const port = Number(env.PORT ?? 8788);
const host = env.HOST ?? '127.0.0.1';

function fixedClock(value: string | undefined) {
  if (!value) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new Error(`BWP_SANDBOX_NOW is not a date: ${value}`);
  return () => at;
}

function throttle(value: string | undefined) {
  if (!value) return undefined;
  const match = value.match(/^(\d+)\/(\d+)$/);
  if (!match) throw new Error(`BWP_SANDBOX_THROTTLE must be LIMIT/WINDOW_MS, e.g. 20/1000: ${value}`);
  return {limit: Number(match[1]), windowMs: Number(match[2])};
}

const sandbox = createSandbox({
  clientId: env.BWP_CLIENT_ID,
  clientSecret: env.BWP_CLIENT_SECRET,
  targetId: env.BWP_TARGET_ID,
  now: fixedClock(env.BWP_SANDBOX_NOW),
  tokenTtlSeconds: env.BWP_SANDBOX_TOKEN_TTL ? Number(env.BWP_SANDBOX_TOKEN_TTL) : undefined,
  throttle: throttle(env.BWP_SANDBOX_THROTTLE),
  faults: env.BWP_SANDBOX_FAULTS ? {...parseFaultHeader(env.BWP_SANDBOX_FAULTS), on: 'graphql'} : undefined,
  allowFaultHeaders: env.BWP_SANDBOX_FAULT_HEADERS === '1',
});

serve({fetch: sandbox, port, hostname: host}, (info) => {
  console.log(
    `Buy with Prime sandbox: http://${host}:${info.port}/graphql (IDE: open it in a browser; token: POST /token)`,
  );
});
