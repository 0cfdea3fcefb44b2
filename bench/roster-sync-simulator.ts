/**
 * The itslearning simulator in its own process, so the apply measures client and target on separate
 * cores, as in production. Started by the benchmark with `fork`; it answers `{ url }` once listening
 * and closes on SIGTERM or when the parent goes away.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { startItslearningSimulator } from '../simulators/itslearning';

export interface SimulatorProcess {
  url: string;
  close(): Promise<void>;
}

export async function startSimulatorProcess(syncKeySource: string): Promise<SimulatorProcess> {
  const child: ChildProcess = fork(__filename, [syncKeySource], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url?: string }) =>
      message.url ? resolve(message.url) : reject(new Error('simulator sent no url')),
    );
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function runChild(syncKeySource: string): Promise<void> {
  const sim = await startItslearningSimulator({ syncKeySource });
  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.send?.({ url: sim.url });
}

if (require.main === module) {
  runChild(process.argv[2] ?? 'procapita').catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
