import type { ChildProcess } from 'node:child_process';
import { execFileSync, fork, spawn } from 'node:child_process';
import * as net from 'node:net';
import { forkEntry } from '../../src/execute/fork-entry';

/** Why the Redis tests cannot run here (no redis-server binary, no bullmq / ioredis), or null. */
export function redisMissing(): string | null {
  if (!redisBinary()) return 'redis-server is not installed (apt-get install redis-server, or run scripts/ci-redis.sh)';
  for (const name of ['bullmq', 'ioredis']) {
    try {
      require.resolve(name);
    } catch {
      return `${name} is not installed (npm install --save-dev ${name})`;
    }
  }
  return null;
}

/** The redis-server binary, or null when it is not installed. */
export function redisBinary(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => c.write('PING\r\n'));
    c.once('data', (d) => { c.destroy(); resolve(d.toString().includes('PONG')); });
    c.once('error', () => resolve(false));
  });
}

/** A throw-away redis-server on a free loopback port (no persistence); stop() kills it. */
export async function startRedis(binary: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const proc = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await ping(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopProcess(proc),
  };
}

/** Forks a BullMQ worker process (src/execute/worker-main) and waits until it listens. */
export async function startWorker(url: string, queue: string, extra: string[] = []): Promise<ChildProcess> {
  const { file, execArgv } = forkEntry('worker-main');
  const child = fork(file, ['--redis', url, '--queue', queue, ...extra], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`worker exited with code ${code}`)));
  });
  return child;
}

/** Stops a process this test started (SIGTERM, then waits for its exit). */
export async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGTERM');
  await exited;
}
