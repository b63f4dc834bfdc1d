// `npm run sandbox`: the sandbox alone on PORT, configured by the environment.
import {serve} from '@hono/node-server';
import {createSandbox} from './sandbox.ts';

const port = Number(process.env.PORT ?? 8788);
const host = process.env.HOST ?? '127.0.0.1';
const fixedNow = process.env.BWP_SANDBOX_NOW ? new Date(process.env.BWP_SANDBOX_NOW) : undefined;
const sandbox = createSandbox({
  clientId: process.env.BWP_CLIENT_ID,
  clientSecret: process.env.BWP_CLIENT_SECRET,
  targetId: process.env.BWP_TARGET_ID,
  now: fixedNow ? () => fixedNow : undefined,
});

serve({fetch: sandbox, port, hostname: host}, (info) => {
  console.log(`Buy with Prime sandbox: http://${host}:${info.port}/graphql (token: POST /token)`);
});
