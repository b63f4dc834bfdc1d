// Issue 13 item 9 over real sockets on 127.0.0.1: a slow client cannot hold a connection past the body-read
// deadline, and connections past the cap are refused. Few sockets, short deadlines: bounded count and time.
import assert from 'node:assert/strict';
import {connect, type Socket} from 'node:net';
import {describe, it} from 'node:test';
import {serveFetch} from '../../server/proxy/node.ts';

// Reads the whole body first, as the proxy does.
const answer = async (request: Request) => new Response(await request.text());

/** Opens a socket and resolves with what it received once the server closes it. */
function open(url: string, send: string): {socket: Socket; closed: Promise<string>} {
  const {hostname, port} = new URL(url);
  const socket = connect({host: hostname, port: Number(port)});
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  socket.write(send);
  return {socket, closed: new Promise((resolve) => socket.on('close', () => resolve(received)))};
}

const slowPost = (url: string) =>
  `POST /bwp/graphql HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`;

describe('serveFetch against slow clients', () => {
  it(
    'answers 408 and closes the connections whose small body has not all arrived by the deadline',
    {timeout: 20_000},
    async () => {
      const server = await serveFetch(answer, {port: 0, requestTimeoutMs: 500});
      try {
        const slow = Array.from({length: 5}, () => open(server.url, slowPost(server.url)));
        const received = await Promise.all(slow.map((each) => each.closed));
        for (const text of received) assert.match(text, /^HTTP\/1\.1 408 /);
      } finally {
        await server.close();
      }
    },
  );

  it('closes connections past the cap, and serves again once they are gone', {timeout: 20_000}, async () => {
    const server = await serveFetch(answer, {port: 0, maxConnections: 2, requestTimeoutMs: 60_000});
    try {
      const held = [open(server.url, slowPost(server.url)), open(server.url, slowPost(server.url))];
      // Both held connections are in: the server has counted them.
      while ((await new Promise<number>((resolve) => server.server.getConnections((_, n) => resolve(n)))) < 2)
        await new Promise((resolve) => setImmediate(resolve));
      const third = open(server.url, `GET / HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.equal(await third.closed, '');
      for (const each of held) each.socket.destroy();
      await Promise.all(held.map((each) => each.closed));
      const fourth = open(server.url, `GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.match(await fourth.closed, /^HTTP\/1\.1 200 /);
    } finally {
      await server.close();
    }
  });

  it('refuses a timeout or cap that is not a positive whole number', async () => {
    await assert.rejects(serveFetch(answer, {port: 0, requestTimeoutMs: -1}), /requestTimeoutMs/);
    await assert.rejects(serveFetch(answer, {port: 0, maxConnections: 1.5}), /maxConnections/);
  });
});
