/**
 * What HTTP alone costs on this machine: requests a second and server CPU per request of a
 * route that does nothing, on bare `node:http` and through Express (the product's framework),
 * with autocannon's 50 connections on the same machine, as every HTTP benchmark here runs.
 * It is the floor under `peak` (whose bar, 1,000 actions a second with ten reads each, is
 * 11,000 requests a second) and `server`: no route of the product can be cheaper than this.
 * No bar: the figures are a reference (`pass` is always true).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cpuPerAction, processCpuSeconds } from './server/cpu';
import { machine } from './lib/machine';
import type { Bench } from './lib/types';

const SECONDS = Number(process.env['HTTP_FLOOR_SECONDS'] ?? 10);

async function measure(kind: 'bare' | 'express') {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./http-floor/serve.ts', import.meta.url)), kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const { port } = await new Promise<{ port: number }>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
      createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l) as { port: number }));
    });
    const url = `http://127.0.0.1:${port}/x`;
    await autocannon({ url, connections: 50, duration: 2 });
    const before = processCpuSeconds(child.pid!);
    const r = await autocannon({ url, connections: 50, duration: SECONDS });
    const after = processCpuSeconds(child.pid!);
    return { requestsPerSecond: Math.round(r.requests.average), p99Ms: r.latency.p99, non2xx: r.non2xx, serverCpuPerRequest: cpuPerAction(before, after, r.requests.total) };
  } finally {
    if (child.exitCode === null) await new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); });
  }
}

const bench: Bench = {
  title: `HTTP floor: a route that does nothing, bare node:http and Express, 50 connections for ${SECONDS} s`,
  async run(log) {
    log('  bare node:http…');
    const bare = await measure('bare');
    log('  Express…');
    const express = await measure('express');
    const peakRequests = 1000 * 11;
    const result = {
      machine: machine(), seconds: SECONDS, connections: 50, bare, express,
      ratio: { expressToBare: Math.round((express.requestsPerSecond / bare.requestsPerSecond) * 100) / 100, what: 'requests a second, Express ÷ bare node:http' },
      peakBarRequestsPerSecond: peakRequests,
    };
    return {
      result, pass: true,
      summary: [
        `  bare node:http: ${bare.requestsPerSecond} req/s, ${bare.serverCpuPerRequest?.totalMs ?? '?'} ms of server CPU a request, p99 ${bare.p99Ms} ms`,
        `  Express: ${express.requestsPerSecond} req/s, ${express.serverCpuPerRequest?.totalMs ?? '?'} ms a request, p99 ${express.p99Ms} ms (${result.ratio.expressToBare} of bare)`,
        `  the peak bar asks ${peakRequests} requests a second (1,000 actions, ten reads each) of the whole product on this machine`,
      ],
    };
  },
};

export default bench;
