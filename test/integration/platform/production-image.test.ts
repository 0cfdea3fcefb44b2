/**
 * The production shape runs (PLAT-14), without Docker: a folder laid out the way the Dockerfile builds
 * the image (its COPY list, production node_modules only), and every app service of
 * docker-compose.yml started from it with its own command, the production settings file
 * (deploy/app.env with test values for its placeholders), secrets made by deploy/make-secrets.sh,
 * its volumes, and the image's user where this test may switch users. Against the Temporal dev
 * server, a real PostgreSQL and the simulators of the outside systems.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Client as PgClient } from 'pg';
import { createEncryptionCodec, dataConverter } from '../../../platform/codec';
import { gradeReturnWorkflowId, taskQueues } from '../../../platform/names';
import { repoRoot } from '../../../platform/tools';
import { fromJsonPayload, toJsonPayload, type PayloadsBody } from '../../../services/codec-server';
import { startSmtpSink, type SmtpSink } from '../../../services/smtp-sink';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../../simulators/coachview';
import { startIliasSimulator, type IliasSimulator } from '../../../simulators/ilias';
import { startInfoCaptionSimulator, type InfoCaptionSimulator } from '../../../simulators/infocaption';
import { startItslearningSimulator, type ItslearningSimulator } from '../../../simulators/itslearning';
import { startMoodleSimulator, type MoodleSimulator } from '../../../simulators/moodle';
import {
  startPraktikportalenSimulator,
  type PraktikportalenSimulator,
} from '../../../simulators/praktikportalen';
import { startWinLasSimulator, type WinLasSimulator } from '../../../simulators/winlas';
import { startWiseflowSimulator, type WiseflowSimulator } from '../../../simulators/wiseflow';
import { linkCompetences } from '../../../client/competences';
import { linkFlowToPeriod } from '../../../client/wiseflow';
import type { FlowSyncStatus } from '../../../domain/wiseflow/describe';
import { competenceDemo, seedCompetenceDemo } from '../../../stack/competence-demo-data';
import { seedWiseflowDemo, wiseflowDemo } from '../../../stack/wiseflow-demo-data';
import { rosterSyncWorkflow } from '../../../workflows/roster-sync';
import { startTestDevServer, type TestDevServer } from '../../support/dev-server';
import { enrolledLearner } from '../../support/grade-return-harness';
import { freePort } from '../../support/ports';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { startTlsProxy, type TlsProxy } from '../../support/tls-proxy';
import {
  canSwitchUser,
  editEnvFile,
  imageUsers,
  layOutImage,
  prepareProject,
  productionPackages,
  readCompose,
  readEnvFile,
  readRuntimeImage,
  startContainer,
  type ComposeService,
  type Container,
  type ImageLayout,
} from '../../support/production-image';

jest.setTimeout(240_000);

const image = readRuntimeImage(path.join(repoRoot, 'Dockerfile'));
const compose = readCompose(path.join(repoRoot, 'docker-compose.yml'));
const service = (name: string): ComposeService => {
  const found = compose.appServices.find((s) => s.name === name);
  if (!found) throw new Error(`docker-compose.yml has no app service ${name}`);
  return found;
};
const ROSTER_OPS = 'roster-ops@school.test';
/** This deployment's secrets of the outside systems of the two newer lifecycles (make-secrets.sh leaves CHANGE-ME). */
const LIFECYCLE_SECRETS = {
  infocaption_client_secret: 'infocaption-secret-of-this-school',
  winlas_api_key: 'winlas-key-of-this-school',
  wiseflow_client_secret: 'wiseflow-secret-of-this-licence',
  praktikportalen_api_key: 'praktikportalen-key-of-this-school',
};

/** Polls `probe` until it gives a value; a probe that throws ends the wait at once. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `promise`, or an error with `context()` (a service's output) when it takes longer than `ms`. */
async function within<T>(
  ms: number,
  promise: Promise<T>,
  context: () => string | Promise<string>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void Promise.resolve(context()).then(
        (text) => reject(new Error(`no answer within ${ms} ms:\n${text}`)),
        (err: unknown) => reject(new Error(`no answer within ${ms} ms (${String(err)})`)),
      );
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the image and compose files', () => {
  it('[PLAT-14] compose runs the four workers, the intake and the codec server from the image, each a node script the image holds', () => {
    expect(compose.appServices.map((s) => s.name).sort()).toEqual(
      [
        'codec-server',
        'intake',
        'worker',
        'worker-competences',
        'worker-roster-sync',
        'worker-wiseflow',
      ].sort(),
    );
    for (const s of compose.appServices) {
      expect(s.command[0]).toBe('node');
      const script = s.command[1] ?? '';
      expect(
        image.copies.some((c) => script.startsWith(`${path.posix.relative(image.workdir, c.dest)}/`)),
      ).toBe(true);
    }
    expect(image.copies.map((c) => c.dest)).toEqual(
      expect.arrayContaining(['/app/dist', '/app/node_modules', '/app/sql', '/app/package.json']),
    );
  });

  it('[PLAT-14] the image gets production dependencies only: the SDK, not the build and test tools', () => {
    const packages = productionPackages(repoRoot);
    expect(packages).toEqual(expect.arrayContaining(['node_modules/@temporalio/worker', 'node_modules/pg']));
    for (const tool of ['typescript', 'jest', 'eslint', 'prettier', '@temporalio/testing', '@swc/jest']) {
      expect(packages).not.toContain(`node_modules/${tool}`);
    }
  });

  it('[PLAT-14] every named volume of an app service is a folder the image gives its user, so the process can write it', () => {
    expect(image.user).not.toBe('root');
    const volumes = compose.appServices.flatMap((s) => s.volumes.filter((v) => v.type === 'volume'));
    for (const volume of volumes) {
      expect(image.folders).toContainEqual({ path: volume.target, user: image.user, group: image.user });
    }
  });

  it('[PLAT-14] a service with a published port listens on every interface of its container', () => {
    const appEnv = readEnvFile(path.join(repoRoot, 'deploy/app.env'));
    for (const s of compose.appServices.filter((x) => x.ports.length > 0)) {
      expect({ service: s.name, LISTEN_HOST: { ...appEnv, ...s.environment }.LISTEN_HOST }).toEqual({
        service: s.name,
        LISTEN_HOST: '0.0.0.0',
      });
    }
  });

  it('[PLAT-14] the intake alone holds the webhook secrets; the worker holds none of them', () => {
    expect(service('intake').secrets).toEqual(
      expect.arrayContaining(['intake_ilias_secret', 'intake_anewspring_secret']),
    );
    for (const s of compose.appServices.filter((x) => x.name !== 'intake')) {
      expect(s.secrets.filter((name) => name.startsWith('intake_'))).toEqual([]);
      expect(Object.keys(s.environment).filter((name) => name.startsWith('INTAKE_'))).toEqual([]);
    }
  });
});

describe('every app service started from the image', () => {
  let work: string;
  let layout: ImageLayout;
  let projectDir: string;
  let secretFiles: Record<string, string>;
  let dev: TestDevServer;
  let tlsProxy: TlsProxy | undefined;
  let db: TestDatabase;
  let client: Client;
  let coachview: CoachviewSimulator;
  let moodle: MoodleSimulator;
  let ilias: IliasSimulator;
  let itslearning: ItslearningSimulator;
  let infocaption: InfoCaptionSimulator;
  let winlas: WinLasSimulator;
  let wiseflow: WiseflowSimulator;
  let praktikportalen: PraktikportalenSimulator;
  let smtp: SmtpSink;
  let intakePort: number;
  const containers: Container[] = [];
  const secret = (name: string): string => readFileSync(secretFiles[name]!, 'utf8').trim();

  /** Whether the service's settings connect to Temporal over TLS (mTLS with its own certificate). */
  const usesTemporalTls = (s: ComposeService): boolean => {
    const env = { ...readEnvFile(path.join(projectDir, 'deploy/app.env')), ...s.environment };
    return (
      ['TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_CA_FILE'].some((k) => Boolean(env[k])) ||
      env.TEMPORAL_TLS === 'true'
    );
  };
  const start = async (name: string, overrides: Record<string, string> = {}): Promise<Container> => {
    const s = service(name);
    let temporalAddress = dev.server.address;
    if (usesTemporalTls(s)) {
      if (!tlsProxy)
        throw new Error(
          `${name} connects to Temporal over TLS, but make-secrets.sh made no server certificate`,
        );
      temporalAddress = tlsProxy.address;
    }
    const container = startContainer({
      layout,
      service: s,
      projectDir,
      secretFiles,
      root: path.join(work, 'containers', `${name}-${containers.length}`),
      overrides: {
        // The compose network's `temporal:7233` is, here, the dev server or the TLS proxy in front of it.
        TEMPORAL_ADDRESS: temporalAddress,
        // Each container has its own network; on one machine the listeners need ports of their own.
        ...(name.startsWith('worker') ? { WORKER_METRICS_PORT: String(await freePort()) } : {}),
        ...overrides,
      },
    });
    containers.push(container);
    return container;
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'production-image-'));
    chmodSync(work, 0o755); // the image's user reaches the image and its containers through it
    layout = layOutImage(repoRoot, path.join(work, 'image'), image);
    projectDir = path.join(work, 'project');
    secretFiles = prepareProject(repoRoot, projectDir, compose);

    dev = await startTestDevServer('production-image');
    // Temporal's endpoint in production takes mutual TLS with make-secrets.sh's certificates; the dev
    // server has no TLS, so a proxy with the server's certificate stands in front of it.
    const serverTls = path.join(projectDir, 'deploy/secrets/tls/temporal');
    if (existsSync(path.join(serverTls, 'tls.crt'))) {
      tlsProxy = await startTlsProxy({
        target: dev.server.address,
        cert: readFileSync(path.join(serverTls, 'tls.crt')),
        key: readFileSync(path.join(serverTls, 'tls.key')),
        ca: readFileSync(path.join(serverTls, 'ca.pem')),
      });
    }
    db = await createTestDatabase();
    smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
    coachview = await startCoachviewSimulator({
      clientId: 'integrations',
      clientSecret: secret('coachview_client_secret'),
      pushSecret: secret('coachview_push_secret'),
    });
    moodle = await startMoodleSimulator({ port: 0, token: secret('moodle_token') });
    intakePort = await freePort();
    ilias = await startIliasSimulator({
      port: 0,
      webhookUrl: `http://127.0.0.1:${intakePort}/webhooks/ilias`,
      webhookSecret: secret('intake_ilias_secret'),
    });
    itslearning = await startItslearningSimulator({ syncKeySource: 'procapita' });
    // The two lifecycles of compose profiles competences and wiseflow, with this deployment's secrets.
    for (const [name, value] of Object.entries(LIFECYCLE_SECRETS)) writeFileSync(secretFiles[name]!, value);
    infocaption = await startInfoCaptionSimulator({
      clientId: 'school-integrations',
      clientSecret: LIFECYCLE_SECRETS.infocaption_client_secret,
    });
    winlas = await startWinLasSimulator({ apiKey: LIFECYCLE_SECRETS.winlas_api_key });
    wiseflow = await startWiseflowSimulator({
      clientId: 'school-licence',
      clientSecret: LIFECYCLE_SECRETS.wiseflow_client_secret,
    });
    praktikportalen = await startPraktikportalenSimulator({
      apiKey: LIFECYCLE_SECRETS.praktikportalen_api_key,
    });

    const codecKeys = JSON.parse(secret('codec_keys')) as Record<string, string>;
    const activeKeyId = Object.keys(codecKeys)[0]!;
    // The operator's edits: every CHANGE-ME of deploy/app.env (and of the lifecycles' own env files,
    // below), and what differs on this machine.
    const appEnvFile = path.join(projectDir, 'deploy/app.env');
    const placeholdersOf = (file: string): string[] =>
      Object.entries(readEnvFile(file))
        .filter(([, value]) => value === 'CHANGE-ME')
        .map(([key]) => key);
    const placeholders = placeholdersOf(appEnvFile);
    const settings: Record<string, string> = {
      CODEC_ACTIVE_KEY_ID: activeKeyId,
      SMTP_HOST: '127.0.0.1',
      MAIL_FROM: 'integrations@school.test',
      MAIL_OPERATOR_RECIPIENTS: 'operators@school.test',
      COACHVIEW_API_URL: coachview.url,
      COACHVIEW_CLIENT_ID: 'integrations',
      COACHVIEW_RESULT_PUSH_URL: `${coachview.url}/elearning/results`,
      MOODLE_URL: moodle.url,
      // Not placeholders, but addresses of this machine instead of the compose network's.
      SMTP_PORT: String(smtp.smtpPort),
      INTAKE_PORT: String(intakePort),
      // The roster sync, as deploy/README.md says to configure it. SQL Server does not run here, so
      // the ProCapita rows come from a fixture in the mounted folder (a procapita-db start is below).
      ITSLEARNING_URL: itslearning.url,
      ROSTER_STATUS_RECIPIENTS: ROSTER_OPS,
      ROSTER_SOURCE: 'procapita-fixture',
      PROCAPITA_FIXTURE: '/etc/integrations/roster/procapita-fixture.json',
    };
    expect(placeholders.filter((key) => !(key in settings))).toEqual([]);
    editEnvFile(appEnvFile, settings);
    const lifecycleSettings: Record<string, Record<string, string>> = {
      'deploy/competences.env': {
        INFOCAPTION_URL: infocaption.url,
        INFOCAPTION_CLIENT_ID: 'school-integrations',
        WINLAS_URL: winlas.url,
        COMPETENCES_REPORT_RECIPIENTS: 'hr@school.test',
      },
      'deploy/wiseflow.env': {
        WISEFLOW_API_URL: `${wiseflow.url}/v1`,
        WISEFLOW_CLIENT_ID: 'school-licence',
        WISEFLOW_PRAKTIKPORTALEN_USER_DATA_TYPE_ID: String(wiseflowDemo.praktikportalenUserDataTypeId),
        PRAKTIKPORTALEN_API_URL: `${praktikportalen.url}/api/v1`,
      },
    };
    for (const [file, values] of Object.entries(lifecycleSettings)) {
      const envFile = path.join(projectDir, file);
      expect({ file, missing: placeholdersOf(envFile).filter((key) => !(key in values)) }).toEqual({
        file,
        missing: [],
      });
      editEnvFile(envFile, values);
    }
    // The reader configuration (with the e-mail mapping it names) in the folder compose mounts.
    const fixtures = path.join(repoRoot, 'test/fixtures/procapita');
    for (const [from, to] of [
      ['small.config.json', 'procapita.config.json'],
      ['email-mapping.csv', 'email-mapping.csv'],
      ['small.json', 'procapita-fixture.json'],
    ] as const) {
      writeFileSync(path.join(projectDir, 'deploy/roster', to), readFileSync(path.join(fixtures, from)));
    }
    // Secret placeholders get this deployment's values; the database URL names the test database.
    writeFileSync(secretFiles.itslearning_api_key!, 'itslearning-api-key-of-this-school');
    writeFileSync(
      secretFiles.procapita_connection_string!,
      `Server=127.0.0.1,${await freePort()};Database=ProCapita;User Id=reader;Password=read-only-1;Encrypt=false`,
    );
    if (secretFiles.integrations_database_url) writeFileSync(secretFiles.integrations_database_url, db.url);

    client = new Client({
      connection: await Connection.connect({ address: dev.server.address }),
      dataConverter: dataConverter(createEncryptionCodec({ keys: codecKeys, activeKeyId })),
    });
  });

  afterAll(async () => {
    for (const c of containers) await c.stop();
    await client?.connection.close();
    await ilias?.close();
    await itslearning?.close();
    await infocaption?.close();
    await winlas?.close();
    await wiseflow?.close();
    await praktikportalen?.close();
    await moodle?.close();
    await coachview?.close();
    await smtp?.close();
    await db?.drop();
    await tlsProxy?.close();
    await dev?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const decodeFailure = async (failure: temporal.api.failure.v1.IFailure): Promise<unknown> => {
    const details = failure.applicationFailureInfo?.details?.payloads ?? [];
    const converter = client.options.loadedDataConverter;
    const plain = await converter.payloadCodecs.reduce(
      async (payloads, codec) => codec.decode(await payloads),
      Promise.resolve(details),
    );
    return { message: failure.message, details: plain.map((p) => converter.payloadConverter.fromPayload(p)) };
  };
  const uidOf = (c: Container): number => {
    const status = readFileSync(`/proc/${c.process.pid}/status`, 'utf8');
    return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
  };
  /** The service's JSON log line `message`; its output is in the error when it never comes. */
  const started = async (c: Container, message: string): Promise<Record<string, unknown>> => {
    try {
      return await eventually(`${c.service.name} to log "${message}"`, () => {
        if (c.process.exitCode !== null) throw new Error(`${c.service.name} exited (${c.process.exitCode})`);
        const line = c
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((entry) => entry.msg === message);
        return Promise.resolve(line);
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}:\n${c.output()}`);
    }
  };
  const pollers = async (queue: string): Promise<number> => {
    const answer = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: queue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return answer.pollers?.length ?? 0;
  };

  it('[PLAT-14] the grade-return worker polls its queue and a completion pushed to the intake is registered in Coachview', async () => {
    const worker = await start('worker');
    const intake = await start('intake');
    const workerStarted = await started(worker, 'worker started');
    const intakeListening = await started(intake, 'intake listening');
    for (const c of [worker, intake]) {
      // Over TLS each service proves itself with its own client certificate.
      if (usesTemporalTls(c.service)) expect(tlsProxy?.clients).toContain(c.service.name);
    }
    if (canSwitchUser()) {
      expect(uidOf(worker)).toBe(imageUsers[image.user]!.uid);
      expect(uidOf(intake)).toBe(imageUsers[image.user]!.uid);
    }
    // The prebuilt bundle from the image, not one made at start.
    expect(workerStarted.workflowCode).toEqual({
      [taskQueues.gradeReturn]: path.join(
        layout.root,
        image.workdir,
        'dist/workflow-bundles/grade-return.js',
      ),
    });
    await eventually('a poller on grade-return', async () =>
      (await pollers(taskQueues.gradeReturn)) > 0 ? true : undefined,
    );
    expect((await fetch(`http://127.0.0.1:${intakePort}/healthz`)).status).toBe(200);
    // WISEflow's route, with the webhook secret make-secrets.sh made; an unsigned delivery is refused.
    expect(intakeListening.webhooks).toContain('/webhooks/wiseflow');
    const unsigned = await fetch(`http://127.0.0.1:${intakePort}/webhooks/wiseflow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'flow.updated', flowId: 1 }),
    });
    expect(unsigned.status).toBe(401);

    coachview.seed(enrolledLearner('P-5150', '9020'));
    ilias.state.seed({
      users: [{ usr_id: 88, login: 'evos', firstname: 'Eva', lastname: 'Vos', ext_account: 'P-5150' }],
      courses: [{ obj_id: 600, ref_id: 9020, title: 'Brandveiligheid' }],
    });
    const { delivery } = await ilias.state.complete(88, 9020, '7.9', '2026-11-24T09:30:00+01:00');
    expect(delivery.outcome).toBe('delivered');
    const handle = client.workflow.getHandle(gradeReturnWorkflowId('ilias', '9020', 'P-5150'));
    expect(
      await within(60_000, handle.result(), () => `${worker.output()}\n${intake.output()}`),
    ).toMatchObject({ outcome: 'registered', attemptsMade: 1 });
    expect(coachview.state().enrolments.find((e) => e.personId === 'P-5150')).toMatchObject({
      result: '7.9',
    });

    const metrics = await fetch(`http://127.0.0.1:${worker.env.WORKER_METRICS_PORT}/metrics`);
    expect(await metrics.text()).toContain('temporal_');

    expect(await intake.stop()).toBe(0);
    expect(await worker.stop()).toBe(0);
  });

  it('[PLAT-14][PLAT-12] the roster-sync worker runs one roster sync with its snapshots in PostgreSQL', async () => {
    const roster = await start('worker-roster-sync');
    expect(roster.env.STORE_BACKEND).toBe('postgres');
    const rosterStarted = await started(roster, 'worker started');
    if (canSwitchUser()) expect(uidOf(roster)).toBe(imageUsers[image.user]!.uid);
    if (usesTemporalTls(roster.service)) expect(tlsProxy?.clients).toContain(roster.service.name);
    expect(rosterStarted.workflowCode).toEqual({
      [taskQueues.rosterSync]: path.join(layout.root, image.workdir, 'dist/workflow-bundles/roster-sync.js'),
    });
    const handle = await client.workflow.start(rosterSyncWorkflow, {
      taskQueue: taskQueues.rosterSync,
      workflowId: `production-image-roster-sync-${Date.now()}`,
      args: [{ syncDate: '2026-08-20' }],
    });
    const result = await within(60_000, handle.result(), async () => {
      // The activity's last failure, decoded with this deployment's keys.
      const pending = (await handle.describe()).raw.pendingActivities?.[0]?.lastFailure;
      const decoded = pending ? await decodeFailure(pending) : undefined;
      return `${roster.output()}\nlast activity failure: ${JSON.stringify(decoded)}`;
    });
    expect(result.phase).toBe('applied');
    expect(itslearning.state.persons.size).toBeGreaterThan(0);

    const pg = new PgClient({ connectionString: db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ n: string }>('SELECT count(*) AS n FROM snapshot_objects');
      expect(Number(rows[0]?.n)).toBeGreaterThan(0);
    } finally {
      await pg.end();
    }
    expect(await roster.stop()).toBe(0);
  });

  /** Starts a lifecycle worker of its compose profile and checks what it shows at start. */
  const startLifecycleWorker = async (name: string, queue: string): Promise<Container> => {
    const worker = await start(name);
    const workerStarted = await started(worker, 'worker started');
    if (canSwitchUser()) expect(uidOf(worker)).toBe(imageUsers[image.user]!.uid);
    if (usesTemporalTls(worker.service)) expect(tlsProxy?.clients).toContain(name);
    expect(workerStarted.taskQueues).toEqual([queue]);
    expect(workerStarted.workflowCode).toEqual({
      [queue]: path.join(layout.root, image.workdir, `dist/workflow-bundles/${queue}.js`),
    });
    return worker;
  };

  it('[PLAT-14][CW-1][CW-4] worker-competences (profile competences) links a course to a competence and registers its passes in WinLas', async () => {
    const worker = await startLifecycleWorker('worker-competences', taskQueues.competences);
    seedCompetenceDemo({ infocaption, winlas });
    const before = winlas.state.registrationStats().total;
    const linked = await linkCompetences(
      client,
      {
        guideIds: [competenceDemo.guides.fireSafety],
        competenceIds: [competenceDemo.competences.fireSafety],
      },
      { waitMs: 30_000 },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${worker.output()}`);
    });
    expect(linked.outcome).toBe('linked');
    // The backfill read InfoCaption with this deployment's client secret and wrote WinLas with its key.
    await within(
      30_000,
      eventually('a registration in WinLas', () =>
        Promise.resolve(winlas.state.registrationStats().total > before ? true : undefined),
      ),
      () => worker.output(),
    );
    expect(await worker.stop()).toBe(0);
  });

  it('[PLAT-14][WF-3][WF-4] worker-wiseflow (profile wiseflow) syncs a linked flow from Praktikportalen into WISEflow', async () => {
    const worker = await startLifecycleWorker('worker-wiseflow', taskQueues.wiseflow);
    seedWiseflowDemo(
      { wiseflow, praktikportalen },
      { url: `http://127.0.0.1:${intakePort}/webhooks/wiseflow`, secret: secret('intake_wiseflow_secret') },
    );
    const { workflowId } = await linkFlowToPeriod(client, {
      flowId: wiseflowDemo.flowId,
      periodNumber: wiseflowDemo.periodNumber,
    });
    const handle = client.workflow.getHandle(workflowId);
    // Its first sync put the period's supervisors on the flow, with this licence's client secret and Praktikportalen's key.
    const status = await within(
      60_000,
      eventually('the first flow sync', async () => {
        const s = await handle.query<FlowSyncStatus>('status').catch(() => undefined);
        return s && s.syncs > 0 ? s : undefined;
      }),
      async () => `${worker.output()}\nstatus: ${JSON.stringify(await handle.query('status').catch(String))}`,
    );
    expect(Object.keys(status.supervisors).length).toBeGreaterThan(0);
    expect(await worker.stop()).toBe(0);
  });

  it("[PLAT-14] the roster-sync worker reading ProCapita's database finds its SQL in the image and gets as far as connecting", async () => {
    const roster = await start('worker-roster-sync', { ROSTER_SOURCE: 'procapita-db' });
    const code = await new Promise<number | null>((resolve) => roster.process.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(roster.output()).toMatch(/Failed to connect to 127\.0\.0\.1:\d+/);
    expect(roster.output()).not.toMatch(/ENOENT|\.sql/);
  });

  it("[PLAT-14][PLAT-9] the codec server decodes the intake's encrypted payloads for a caller with the token, and for no one else", async () => {
    const codecServer = await start('codec-server', { CODEC_SERVER_PORT: String(await freePort()) });
    await started(codecServer, 'codec server listening');
    if (canSwitchUser()) expect(uidOf(codecServer)).toBe(imageUsers[image.user]!.uid);
    const url = `http://127.0.0.1:${codecServer.env.CODEC_SERVER_PORT}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    // The grade return's input, as the intake encrypted it into the history.
    const history = await client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: gradeReturnWorkflowId('ilias', '9020', 'P-5150') },
    });
    const input = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    if (!input) throw new Error('no input payload in the grade return history');
    const body: PayloadsBody = { payloads: [toJsonPayload(input)] };
    const tokenFile = codecServer.env.CODEC_SERVER_TOKEN_FILE;
    if (!tokenFile) throw new Error('the codec-server service names no CODEC_SERVER_TOKEN_FILE');
    const token = readFileSync(tokenFile, 'utf8').trim();
    const decode = (headers: Record<string, string>) =>
      fetch(`${url}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
        body: JSON.stringify(body),
      });

    expect((await decode({})).status).toBe(401);
    expect((await decode({ authorization: 'Bearer not-the-token-at-all' })).status).toBe(401);
    const res = await decode({ authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const decoded = ((await res.json()) as PayloadsBody).payloads[0];
    if (!decoded) throw new Error('the codec server answered no payload');
    const value = defaultPayloadConverter.fromPayload(fromJsonPayload(decoded));
    expect(value).toMatchObject({ source: 'ilias', learnerId: 'P-5150', grade: '7.9' });
    expect(await codecServer.stop()).toBe(0);
  });
});
