// `npm start`: demo pages + proxy + sandbox on one port (PORT, default 8080).
import {startDevServer} from './app.ts';

const dev = await startDevServer({
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? '127.0.0.1',
  env: process.env,
});
console.log(`
Buy with Prime storefront elements, demo stack
  Product page   ${dev.url}/
  Product grid   ${dev.url}/grid.html
  Checkout       ${dev.url}/checkout.html
  Strict CSP     ${dev.url}/csp.html
  Proxy          ${dev.url}/bwp/graphql   (health: ${dev.url}/bwp/health)
  Sandbox        ${dev.url}/sandbox/graphql   (token: ${dev.url}/sandbox/token)
Press Ctrl+C to stop.`);
