// Installs Debian's redis-server when it is missing (as root, with apt-get), for the multi-instance proxy tests;
// says clearly how to install it when it cannot. The tests start their own server on a free port.
import {spawnSync} from 'node:child_process';

const binary = process.env.REDIS_SERVER_PATH ?? 'redis-server';
const present = () => spawnSync(binary, ['--version'], {stdio: 'ignore'}).status === 0;

if (!present()) {
  if (process.env.REDIS_SERVER_PATH) {
    console.error(`\nREDIS_SERVER_PATH=${process.env.REDIS_SERVER_PATH} does not run.\n`);
    process.exit(1);
  }
  if (process.getuid?.() !== 0) {
    console.error(
      '\nredis-server is missing and this user cannot install it.\n' +
        'Install it with: sudo apt-get update && sudo apt-get install -y redis-server\n' +
        'or point REDIS_SERVER_PATH at a redis-server binary (redis-cli must be on PATH).\n',
    );
    process.exit(1);
  }
  console.log("redis-server is missing: installing Debian's redis-server with apt-get…");
  const run = (args) =>
    spawnSync('apt-get', args, {stdio: 'inherit', env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}});
  const ok =
    run(['update', '-qq']).status === 0 && run(['install', '-y', '-qq', 'redis-server']).status === 0;
  if (!ok || !present()) {
    console.error('\napt-get could not install redis-server; the proxy-redis tests need it.\n');
    process.exit(1);
  }
  // Debian's package starts a system service on 6379; the tests never use it.
}
