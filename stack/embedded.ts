/**
 * The embedded local stack (PLAT-2): one process that starts a real Temporal dev server (Web UI on
 * :8233, SQLite state in the data folder, search attributes registered), the simulators of every
 * outside system, an SMTP sink, the codec server and the completion intake, then runs the worker as
 * a child process (which creates the schedules). Ctrl-C stops everything in reverse order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { gradeReturnStarter } from '../client/grade-return';
import { flowSyncRequester } from '../client/wiseflow';
import { codecFromConfig } from '../platform/codec';
import { ConfigError, loadConfig, parseConfig } from '../platform/config';
import { connectClient } from '../platform/temporal';
import { repoRoot } from '../platform/tools';
import { startCodecServer } from '../services/codec-server';
import { codecAuthFromConfig, createAuthenticator } from '../services/codec-server/auth';
import { startIntakeServer } from '../services/intake';
import { startSmtpSink } from '../services/smtp-sink';
import { startAnewspringSimulator } from '../simulators/anewspring';
import { startCoachviewSimulator } from '../simulators/coachview';
import { startIliasSimulator } from '../simulators/ilias';
import { startInfoCaptionSimulator } from '../simulators/infocaption';
import { startItslearningSimulator } from '../simulators/itslearning';
import { startMoodleSimulator } from '../simulators/moodle';
import { startWinLasSimulator } from '../simulators/winlas';
import { startPraktikportalenSimulator } from '../simulators/praktikportalen';
import { startWiseflowSimulator } from '../simulators/wiseflow';
import { ensureLocalCodecKeys } from './codec-keys';
import { seedCompetenceDemo } from './competence-demo-data';
import { stackSpec } from './config';
import { seedDemoData } from './demo-data';
import { seedWiseflowDemo } from './wiseflow-demo-data';
import { ensureProcapitaDemo } from './procapita-demo';
import { startDevServer, stopProcess } from './temporal-dev-server';

const log = (msg: string): void => console.log(`[stack] ${msg}`);

async function main(): Promise<void> {
  const stack = parseConfig(stackSpec);
  const keys = ensureLocalCodecKeys(stack.dataDir);
  const procapita = ensureProcapitaDemo(stack.dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CODEC_KEYS_FILE: process.env.CODEC_KEYS_FILE ?? keys.file,
    CODEC_ACTIVE_KEY_ID: process.env.CODEC_ACTIVE_KEY_ID ?? keys.activeKeyId,
    // The Web UI answers on both names; its browser calls the codec server from whichever was opened.
    CODEC_CORS_ORIGINS:
      process.env.CODEC_CORS_ORIGINS ??
      `http://localhost:${stack.temporalUiPort},http://127.0.0.1:${stack.temporalUiPort}`,
    TEMPORAL_ADDRESS: `localhost:${stack.temporalPort}`,
    COACHVIEW_API_URL: `http://127.0.0.1:${stack.coachviewPort}`,
    COACHVIEW_RESULT_PUSH_URL: `http://127.0.0.1:${stack.coachviewPort}/elearning/results`,
    MOODLE_URL: `http://127.0.0.1:${stack.moodlePort}`,
    ROSTER_SYNC_ENABLED: process.env.ROSTER_SYNC_ENABLED ?? 'true',
    WISEFLOW_ENABLED: process.env.WISEFLOW_ENABLED ?? 'true',
    INTAKE_WISEFLOW_SECRET: process.env.INTAKE_WISEFLOW_SECRET ?? 'local-wiseflow-webhook-secret',
    ITSLEARNING_URL: `http://127.0.0.1:${stack.itslearningPort}`,
    PROCAPITA_FIXTURE: process.env.PROCAPITA_FIXTURE ?? procapita.fixture,
    PROCAPITA_READER_CONFIG: process.env.PROCAPITA_READER_CONFIG ?? procapita.readerConfig,
    STORE_DIR: process.env.STORE_DIR ?? path.join(stack.dataDir, 'store'),
    COMPETENCES_ENABLED: process.env.COMPETENCES_ENABLED ?? 'true',
    INFOCAPTION_URL: `http://127.0.0.1:${stack.infocaptionPort}`,
    WINLAS_URL: `http://127.0.0.1:${stack.winlasPort}`,
    WISEFLOW_API_URL: `http://127.0.0.1:${stack.wiseflowPort}/v1`,
    PRAKTIKPORTALEN_API_URL: `http://127.0.0.1:${stack.praktikportalenPort}/api/v1`,
  };
  const config = loadConfig(env);
  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  const stopAll = async (): Promise<void> => {
    for (const { name, stop } of stops.reverse()) {
      log(`stopping ${name}`);
      await stop().catch((err: unknown) => log(`${name} did not stop cleanly: ${String(err)}`));
    }
  };
  let stopping = false;
  const onSignal = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping`);
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const codecUrl = `http://localhost:${config.codec.serverPort}`;
    const codec = codecFromConfig(config.codec);
    const codecServer = await startCodecServer({
      port: config.codec.serverPort,
      host: config.listenHost,
      codec,
      corsOrigins: config.codec.corsOrigins,
      authenticate: createAuthenticator(codecAuthFromConfig(config)),
    });
    stops.push({ name: 'codec server', stop: () => codecServer.close() });

    const temporal = await startDevServer({
      dataDir: stack.dataDir,
      port: stack.temporalPort,
      uiPort: stack.temporalUiPort,
      namespace: config.temporal.namespace,
      codecEndpoint: codecUrl,
      log: (line) => process.stderr.write(`[temporal] ${line}\n`),
    });
    stops.push({ name: 'temporal dev server', stop: () => temporal.stop() });

    const smtp = await startSmtpSink({ smtpPort: config.smtp.port, httpPort: stack.smtpHttpPort });
    stops.push({ name: 'smtp sink', stop: () => smtp.close() });

    const coachview = await startCoachviewSimulator({
      port: stack.coachviewPort,
      clientId: config.coachview.clientId,
      clientSecret: config.coachview.clientSecret.reveal(),
      pushSecret: config.coachview.pushSecret.reveal(),
    });
    stops.push({ name: 'coachview simulator', stop: () => coachview.close() });
    const moodle = await startMoodleSimulator({
      port: stack.moodlePort,
      token: config.moodle.token.reveal(),
    });
    stops.push({ name: 'moodle simulator', stop: () => moodle.close() });

    const client = await connectClient(config, codec);
    stops.push({ name: 'temporal client', stop: () => client.connection.close() });
    const intake = await startIntakeServer({
      port: config.intake.port,
      host: config.listenHost,
      signatureToleranceSeconds: config.intake.signatureToleranceSeconds,
      secrets: { ilias: config.intake.iliasSecret, anewspring: config.intake.anewspringSecret },
      startGradeReturn: gradeReturnStarter(client, { maxDailyAttempts: config.gradeReturn.maxDailyAttempts }),
      // WISEflow's update requests (WF-5) signal the flow's sync.
      ...(config.intake.wiseflowSecret
        ? { wiseflow: { secret: config.intake.wiseflowSecret, requestFlowSync: flowSyncRequester(client) } }
        : {}),
    });
    stops.push({ name: 'intake', stop: () => intake.close() });
    const ilias = await startIliasSimulator({
      port: stack.iliasPort,
      webhookUrl: `${intake.url}/webhooks/ilias`,
      webhookSecret: config.intake.iliasSecret.reveal(),
    });
    stops.push({ name: 'ilias simulator', stop: () => ilias.close() });
    const anewspring = await startAnewspringSimulator({
      port: stack.anewspringPort,
      webhookUrl: `${intake.url}/webhooks/anewspring`,
      webhookSecret: config.intake.anewspringSecret.reveal(),
    });
    stops.push({ name: 'anewspring simulator', stop: () => anewspring.close() });

    const itslearning = await startItslearningSimulator({
      port: stack.itslearningPort,
      syncKeySource: config.rosterSync.syncKeySource,
    });
    stops.push({ name: 'itslearning simulator', stop: () => itslearning.close() });

    const infocaption = await startInfoCaptionSimulator({
      port: stack.infocaptionPort,
      clientId: config.competences.infocaptionClientId,
      clientSecret: config.competences.infocaptionClientSecret.reveal(),
    });
    stops.push({ name: 'infocaption simulator', stop: () => infocaption.close() });
    const winlas = await startWinLasSimulator({
      port: stack.winlasPort,
      apiKey: config.competences.winlasApiKey.reveal(),
    });
    stops.push({ name: 'winlas simulator', stop: () => winlas.close() });
    const wiseflow = await startWiseflowSimulator({
      port: stack.wiseflowPort,
      clientId: config.wiseflow.clientId,
      clientSecret: config.wiseflow.clientSecret.reveal(),
      // WISEflow waits 15 minutes between retries; the demo seconds.
      webhookRetryDelaysMs: [2000, 10_000, 30_000],
    });
    stops.push({ name: 'wiseflow simulator', stop: () => wiseflow.close() });
    const praktikportalen = await startPraktikportalenSimulator({
      port: stack.praktikportalenPort,
      apiKey: config.wiseflow.praktikportalenApiKey.reveal(),
    });
    stops.push({ name: 'praktikportalen simulator', stop: () => praktikportalen.close() });

    if (stack.demoData) seedDemoData({ coachview, moodle, ilias, anewspring, itslearning });
    if (stack.demoData) seedCompetenceDemo({ infocaption, winlas });
    if (stack.demoData && config.intake.wiseflowSecret) {
      seedWiseflowDemo(
        { wiseflow, praktikportalen },
        { url: `${intake.url}/webhooks/wiseflow`, secret: config.intake.wiseflowSecret.reveal() },
      );
    }

    const worker = spawnWorker(env);
    stops.push({ name: 'worker', stop: () => stopProcess(worker, 30_000) });
    worker.once('exit', (code, signal) => {
      if (!stopping) {
        log(`worker exited unexpectedly (${code ?? signal}); stopping the stack`);
        onSignal('worker-exit');
      }
    });

    log('ready:');
    log(
      `  Temporal Web UI     ${temporal.uiUrl} or http://127.0.0.1:${stack.temporalUiPort}   (gRPC ${temporal.address}, state ${path.join(stack.dataDir, 'temporal.db')})`,
    );
    log(`  codec server        ${codecUrl}`);
    log(`  intake (webhooks)   ${intake.url}/webhooks/{ilias,anewspring,wiseflow}`);
    log(`  SMTP sink           smtp://localhost:${smtp.smtpPort}, messages at ${smtp.url}/messages`);
    log(`  Coachview sim       ${coachview.url}   (state: ${coachview.url}/__admin/state)`);
    log(`  Moodle sim          ${moodle.url}`);
    log(`  Ilias sim           ${ilias.url}`);
    log(`  aNewSpring sim      ${anewspring.url}`);
    log(`  itslearning sim     ${itslearning.url}   (state: ${itslearning.url}/__admin/state)`);
    log(`  InfoCaption sim     ${infocaption.url}   (state: ${infocaption.url}/__admin/state)`);
    log(`  WinLas sim          ${winlas.url}   (state: ${winlas.url}/__admin/state)`);
    log(`  WISEflow sim        ${wiseflow.url}/v1   (state: ${wiseflow.url}/__admin/state)`);
    log(
      `  Praktikportalen sim ${praktikportalen.url}   (period page: ${praktikportalen.url}/periods/PP-2027-04, links: /__admin/periods/PP-2027-04/links)`,
    );
    log(`  ProCapita fixture   ${env.PROCAPITA_FIXTURE}`);
    log('Ctrl-C stops everything.');
  } catch (err) {
    log(`start-up failed: ${err instanceof ConfigError ? err.message : String(err)}`);
    await stopAll();
    process.exit(1);
  }
}

function spawnWorker(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/workers/main.js')], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
