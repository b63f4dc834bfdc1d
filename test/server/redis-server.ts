// A real redis-server for tests: on a free port of 127.0.0.1, no persistence, stopped (and restartable) by the test.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {createServer} from 'node:net';

export interface RedisServer {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: an outage, not a shutdown) and waits for it to be gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (there is no persistence). */
  restart(): Promise<void>;
  /** One redis-cli command against it, e.g. `cli('keys', 'bwp:*')`. */
  cli(...args: string[]): string;
  stop(): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER_PATH ?? 'redis-server';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const {port} = server.address() as {port: number};
  await new Promise((done) => server.close(done));
  return port;
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    BINARY,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
    ],
    {stdio: ['ignore', 'pipe', 'inherit']},
  );
  // Ready when it answers PING: a bounded wait on a condition, not on the clock.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} (port ${port})`);
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], {encoding: 'utf8'});
    if (ping.stdout.trim() === 'PONG') return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer PING on port ${port}`);
}

/**
 * @example
 * const redis = await startRedis();
 * after(() => redis.stop());
 */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port);
  const kill = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    child = undefined;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    async restart() {
      await kill();
      child = await launch(port);
    },
    cli: (...args) => spawnSync('redis-cli', ['-p', String(port), ...args], {encoding: 'utf8'}).stdout.trim(),
    stop: kill,
  };
}
