// `npm run bench:floor`: what Temporal alone costs per message on this machine.
// One no-op workflow per customer (test/bench/floor/workflow.ts) gets a
// signalWithStart per message at a fixed rate, as the inbound relay sends them;
// nothing else runs: no database, no activity, no HTTP. The CPU the embedded
// dev server and the worker spend per message is the floor under every
// conversation step, and bounds the rate a machine can carry.
//
//   npm run bench:floor -- [--rate 100] [--duration 20] [--customers 200]
//
// Progress goes to stderr; stdout gets the table and, as its last line, one JSON object.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startTemporalDev } from '../../server/embedded';
import { messageSignal } from './floor/workflow';
import { openLoop, positive } from './platform';
import { percentile } from './report';

const log = (line: string) => console.error(`[bench:floor] ${line}`);
const TASK_QUEUE = 'bench-floor';

/** CPU seconds a process has used (user + system), from /proc. */
function processCpuS(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
}
const ownCpuS = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: {
    rate: { type: 'string', default: '100' }, duration: { type: 'string', default: '20' }, customers: { type: 'string', default: '200' },
  } });
  const rate = positive('rate', values.rate, false);
  const durationS = positive('duration', values.duration, false);
  const customers = positive('customers', values.customers, true);

  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = mkdtempSync(join(tmpdir(), 'huiliu-bench-floor-'));
  log(`starting the Temporal dev server in ${dir}`);
  const temporal = await startTemporalDev({ dbFile: join(dir, 'temporal.db'), headless: true, logFile: join(dir, 'temporal.log') });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: temporal.address }), taskQueue: TASK_QUEUE,
    workflowsPath: new URL('./floor/workflow.ts', import.meta.url).pathname,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const send = (k: number) => client.workflow.signalWithStart('floorWorkflow', {
    workflowId: `floor-${k % customers}`, taskQueue: TASK_QUEUE, signal: messageSignal, signalArgs: ['hello'],
  });
  try {
    log(`starting ${customers} workflows`);
    for (let k = 0; k < customers; k++) await send(k);
    await new Promise((r) => setTimeout(r, 2000));

    log(`signalling at ${rate}/s for ${durationS} s`);
    const signalMs: number[] = [];
    let errors = 0;
    const [server0, own0] = [processCpuS(temporal.child.pid!), ownCpuS()];
    const { elapsedS, skipped } = await openLoop({ rate, durationS, maxInFlight: 256 }, async (k) => {
      const t0 = performance.now();
      try {
        await send(k);
        signalMs.push(performance.now() - t0);
      } catch {
        errors++;
      }
    });
    const serverCpuS = processCpuS(temporal.child.pid!) - server0;
    const workerAndClientCpuS = ownCpuS() - own0;
    const sent = signalMs.length;
    const r = (n: number) => Number(n.toFixed(1));
    const result = {
      bench: 'temporal-floor', cores: cpus().length, rate, durationS, customers, sent, errors, skipped,
      signalsPerSec: r(sent / elapsedS),
      signalMs: { p50: r(percentile(signalMs, 50)), p99: r(percentile(signalMs, 99)) },
      cpuMsPerMessage: { temporal: r((serverCpuS * 1000) / sent), workerAndClient: r((workerAndClientCpuS * 1000) / sent) },
      coresUsed: { temporal: r(serverCpuS / elapsedS), workerAndClient: r(workerAndClientCpuS / elapsedS) },
    };
    const rows: [string, string][] = [
      ['machine', `${result.cores} cores`],
      ['signals', `${sent} at ${result.signalsPerSec}/s to ${customers} workflows (${errors} errors, ${skipped} skipped)`],
      ['signalWithStart p50 / p99', `${result.signalMs.p50} ms / ${result.signalMs.p99} ms`],
      ['Temporal dev server CPU per message', `${result.cpuMsPerMessage.temporal} ms (${result.coresUsed.temporal} cores)`],
      ['worker + client CPU per message', `${result.cpuMsPerMessage.workerAndClient} ms (${result.coresUsed.workerAndClient} cores)`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(['Temporal floor: a no-op workflow per customer, one signal per message', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n'));
    console.log(JSON.stringify(result));
  } finally {
    for (let k = 0; k < customers; k++) await client.workflow.getHandle(`floor-${k}`).terminate('benchmark over').catch(() => undefined);
    worker.shutdown();
    await running;
    await connection.close();
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main().catch((err: Error) => {
  log(err.message);
  process.exit(1);
});
