/**
 * The production image and its compose services without Docker (PLAT-14): reads the runtime stage
 * of the Dockerfile and the app services of docker-compose.yml, lays out a folder with what the image
 * holds, and starts a service's command from it the way a container would (its environment, its
 * secrets under /run/secrets, its volumes, the image's user). Anything in either file this module
 * does not understand is an error, so the test cannot silently run something the image is not.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';

// ---------------------------------------------------------------------------------------------
// The Dockerfile

/** What the image's final stage copies in: from the build context, a build stage or the deps stage. */
export interface ImageCopy {
  /** `build`: the context after `npm run build`; `production-deps`: `npm ci --omit=dev`'s node_modules. */
  origin: 'context' | 'build' | 'production-deps';
  /** Relative to the repository (context, build) or the deps stage's node_modules. */
  source: string;
  /** Absolute path in the image. */
  dest: string;
}

export interface RuntimeImage {
  workdir: string;
  user: string;
  env: Record<string, string>;
  copies: ImageCopy[];
  /** Folders made by `RUN install -d -o <user> -g <group> <path>...`, with their owner. */
  folders: Array<{ path: string; user: string; group: string }>;
  cmd: string[];
}

interface Instruction {
  op: string;
  args: string;
}

function instructions(text: string): Instruction[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  return lines.map((line) => {
    const [op = '', ...rest] = line.split(/\s+/);
    return { op: op.toUpperCase(), args: rest.join(' ') };
  });
}

interface Stage {
  name?: string;
  workdir: string;
  runs: string[];
  copiesWholeContext: boolean;
  body: Instruction[];
}

function stages(text: string): Stage[] {
  const out: Stage[] = [];
  for (const ins of instructions(text)) {
    if (ins.op === 'ARG' && out.length === 0) continue;
    if (ins.op === 'FROM') {
      const name = /\s+AS\s+(\S+)$/i.exec(ins.args)?.[1];
      out.push({ name, workdir: '/', runs: [], copiesWholeContext: false, body: [] });
      continue;
    }
    const stage = out.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${ins.op} before FROM`);
    stage.body.push(ins);
    if (ins.op === 'WORKDIR') stage.workdir = path.posix.resolve(stage.workdir, ins.args);
    if (ins.op === 'RUN') stage.runs.push(ins.args);
    if (ins.op === 'COPY' && /^\.\s+\.\/?$/.test(ins.args)) stage.copiesWholeContext = true;
  }
  return out;
}

function originOf(stage: Stage): 'build' | 'production-deps' {
  if (stage.copiesWholeContext && stage.runs.some((r) => /\bnpm run build\b/.test(r))) return 'build';
  if (stage.runs.some((r) => /\bnpm ci\b/.test(r) && r.includes('--omit=dev'))) return 'production-deps';
  throw new Error(
    `Dockerfile: stage ${stage.name ?? '?'} is neither a build (COPY . . and npm run build) nor production dependencies (npm ci --omit=dev)`,
  );
}

/** The final stage of the Dockerfile, as the production-image test reproduces it. */
export function readRuntimeImage(dockerfile: string): RuntimeImage {
  const all = stages(readFileSync(dockerfile, 'utf8'));
  const runtime = all.at(-1);
  if (!runtime) throw new Error('Dockerfile: no stage');
  const image: RuntimeImage = { workdir: '/', user: 'root', env: {}, copies: [], folders: [], cmd: [] };
  for (const { op, args } of runtime.body) {
    switch (op) {
      case 'ENV':
        for (const pair of args.split(/\s+/)) {
          const [key, ...value] = pair.split('=');
          if (!key || value.length === 0) throw new Error(`Dockerfile: ENV ${args}: use KEY=VALUE`);
          image.env[key] = value.join('=');
        }
        break;
      case 'WORKDIR':
        image.workdir = path.posix.resolve(image.workdir, args);
        break;
      case 'USER':
        image.user = args;
        break;
      case 'CMD':
        image.cmd = JSON.parse(args) as string[];
        break;
      case 'COPY': {
        const words = args.split(/\s+/);
        const flags = words.filter((w) => w.startsWith('--'));
        const paths = words.filter((w) => !w.startsWith('--'));
        const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
        const unknown = flags.filter((f) => !f.startsWith('--from='));
        if (unknown.length > 0 || paths.length < 2)
          throw new Error(`Dockerfile: COPY ${args} not understood`);
        const destArg = paths.at(-1)!;
        // A destination ending in / (or several sources) is a folder: each source goes inside it.
        const intoFolder = destArg.endsWith('/') || destArg === '.' || paths.length > 2;
        for (const source of paths.slice(0, -1)) {
          const dest = path.posix.resolve(
            image.workdir,
            destArg,
            intoFolder ? path.posix.basename(source) : '',
          );
          if (from === undefined) {
            image.copies.push({ origin: 'context', source: path.posix.normalize(source), dest });
            continue;
          }
          const stage = all.find((s) => s.name === from);
          if (!stage) throw new Error(`Dockerfile: COPY --from=${from}: no such stage`);
          const origin = originOf(stage);
          const relative = path.posix.relative(stage.workdir, source);
          if (relative.startsWith('..'))
            throw new Error(`Dockerfile: COPY ${args}: outside ${stage.workdir}`);
          if (origin === 'production-deps' && relative !== 'node_modules') {
            throw new Error(`Dockerfile: COPY ${args}: the deps stage gives only node_modules`);
          }
          image.copies.push({ origin, source: relative, dest });
        }
        break;
      }
      case 'RUN': {
        const match = /^install -d -o (\S+) -g (\S+) ((?:\/\S+\s*)+)$/.exec(args);
        if (!match) {
          throw new Error(
            `Dockerfile: RUN ${args}: the production-image test reproduces only 'install -d -o <user> -g <group> <folders>' in the runtime stage`,
          );
        }
        for (const folder of match[3]!.trim().split(/\s+/)) {
          image.folders.push({ path: folder, user: match[1]!, group: match[2]! });
        }
        break;
      }
      case 'EXPOSE':
      case 'LABEL':
        break;
      default:
        throw new Error(
          `Dockerfile: ${op} in the runtime stage is not reproduced by the production-image test`,
        );
    }
  }
  return image;
}

/** Users of the official Node.js images (`node` is 1000:1000 there). */
export const imageUsers: Record<string, { uid: number; gid: number }> = {
  root: { uid: 0, gid: 0 },
  node: { uid: 1000, gid: 1000 },
};

function userIds(name: string): { uid: number; gid: number } {
  const ids = imageUsers[name];
  if (!ids) throw new Error(`the image user ${name} is unknown to the production-image test`);
  return ids;
}

/** True where `.dockerignore` keeps a path out of the build context (plain paths and `!` exceptions). */
export function dockerIgnored(repo: string, relative: string): boolean {
  const file = path.join(repo, '.dockerignore');
  if (!existsSync(file)) return false;
  let ignored = false;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const pattern = path.posix.normalize(negate ? line.slice(1) : line).replace(/\/$/, '');
    if (/[*?[]/.test(pattern)) {
      const regex = new RegExp(
        `^${pattern
          .replace(/[.+^${}()|\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]')}(/|$)`,
      );
      if (regex.test(relative)) ignored = !negate;
    } else if (relative === pattern || relative.startsWith(`${pattern}/`)) {
      ignored = !negate;
    }
  }
  return ignored;
}

// ---------------------------------------------------------------------------------------------
// Laying out the image

/** Hard links where possible (fast, same owner and mode as the source), else copies keeping mtimes. */
function linkTree(source: string, dest: string, skipTopLevel: (name: string) => boolean = () => false): void {
  mkdirSync(dest, { recursive: true });
  chmodSync(dest, 0o755);
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (skipTopLevel(entry.name)) continue;
    const from = path.join(source, entry.name);
    const to = path.join(dest, entry.name);
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (entry.isDirectory()) linkTree(from, to);
    else linkFile(from, to);
  }
}

function linkFile(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
    const { atime, mtime } = statSync(from);
    utimesSync(to, atime, mtime);
  }
}

/**
 * The packages `npm ci --omit=dev` installs, from package-lock.json: every entry not marked `dev`.
 * Optional packages for other platforms are absent here as they would be in the image.
 */
export function productionPackages(repo: string): string[] {
  const lock = JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; optional?: boolean; link?: boolean }>;
  };
  const out: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith('node_modules/') || entry.dev) continue;
    if (entry.link)
      throw new Error(`package-lock.json: ${key} is a link; the image test copies real folders`);
    if (!existsSync(path.join(repo, key))) {
      if (entry.optional) continue;
      throw new Error(`${key} is a production dependency but not installed: run npm ci`);
    }
    out.push(key);
  }
  return out;
}

function layOutProductionModules(repo: string, dest: string): void {
  for (const key of productionPackages(repo)) {
    const target = path.join(dest, key.slice('node_modules/'.length));
    // Nested packages are entries of their own, and may be dev-only.
    linkTree(path.join(repo, key), target, (name) => name === 'node_modules');
  }
}

export interface ImageLayout {
  /** The image's file system root in the test: `<root>/app` is the image's `/app`. */
  root: string;
  image: RuntimeImage;
}

/**
 * Lays out under `root` what the image holds at its WORKDIR, copy by copy as the Dockerfile says.
 * The build stage's output is this repository after `npm run build` (dist/ must be current).
 */
export function layOutImage(repo: string, root: string, image: RuntimeImage): ImageLayout {
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  for (const copy of image.copies) {
    const target = path.join(root, copy.dest);
    mkdirSync(path.dirname(target), { recursive: true });
    if (copy.origin === 'production-deps') {
      layOutProductionModules(repo, target);
      continue;
    }
    // The build stage starts from the context too; only its build output may be ignored by .dockerignore.
    const producedByBuild = copy.origin === 'build' && copy.source.split('/')[0] === 'dist';
    if (!producedByBuild && dockerIgnored(repo, copy.source)) {
      throw new Error(`Dockerfile copies ${copy.source}, which .dockerignore keeps out of the context`);
    }
    const source = path.join(repo, copy.source);
    if (!existsSync(source)) throw new Error(`Dockerfile copies ${copy.source}, which does not exist`);
    if (lstatSync(source).isDirectory()) {
      // Copied, not linked: a build running beside the test must not change the image under it.
      cpSync(source, target, { recursive: true, preserveTimestamps: true });
    } else {
      copyFileSync(source, target);
    }
  }
  // Every folder on the way down is traversable by the image's user, as in a container.
  for (let dir = path.join(root, image.workdir); dir.startsWith(root); dir = path.dirname(dir)) {
    chmodSync(dir, 0o755);
    if (dir === root) break;
  }
  return { root, image };
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

export interface ComposeService {
  name: string;
  command: string[];
  envFiles: string[];
  environment: Record<string, string>;
  secrets: string[];
  volumes: Array<{ type: 'bind' | 'volume'; source: string; target: string }>;
  /** Published ports as written (`127.0.0.1:8888:8888`). */
  ports: string[];
  profiles: string[];
}

export interface ComposeFile {
  /** Services built from this repository's Dockerfile (`build: .`). */
  appServices: ComposeService[];
  secretFiles: Record<string, string>;
}

/** `${NAME:-default}`, `${NAME}` and `$$` as compose reads them, with no variables set. */
function interpolate(value: string): string {
  return value.replace(
    /\$\$|\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g,
    (match, _name, fallback: string | undefined) => (match === '$$' ? '$' : (fallback ?? '')),
  );
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: expected a map`);
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, interpolate(String(v))]),
  );
}

export function readCompose(file: string): ComposeFile {
  const doc = load(readFileSync(file, 'utf8')) as {
    services: Record<string, Record<string, unknown>>;
    secrets?: Record<string, { file?: string }>;
  };
  const appServices: ComposeService[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    if (service.build !== '.') continue;
    const command = service.command;
    if (!Array.isArray(command) || command.some((c) => typeof c !== 'string')) {
      throw new Error(`docker-compose.yml: ${name}: command must be a list of strings`);
    }
    const envFile = service.env_file;
    const envFiles = envFile === undefined ? [] : Array.isArray(envFile) ? envFile : [envFile];
    const volumes = ((service.volumes ?? []) as unknown[]).map((v) => {
      if (typeof v !== 'string') throw new Error(`docker-compose.yml: ${name}: volumes in short form only`);
      const [source = '', target = ''] = v.split(':');
      return {
        type: source.startsWith('.') || source.startsWith('/') ? 'bind' : 'volume',
        source,
        target,
      } as const;
    });
    appServices.push({
      name,
      command: command as string[],
      envFiles: envFiles.map(String),
      environment: stringMap(service.environment, `docker-compose.yml: ${name}: environment`),
      secrets: ((service.secrets ?? []) as unknown[]).map((s) => {
        if (typeof s !== 'string') throw new Error(`docker-compose.yml: ${name}: secrets in short form only`);
        return s;
      }),
      volumes,
      ports: ((service.ports ?? []) as unknown[]).map(String),
      profiles: ((service.profiles ?? []) as unknown[]).map(String),
    });
  }
  const secretFiles: Record<string, string> = {};
  for (const [name, secret] of Object.entries(doc.secrets ?? {})) {
    if (!secret.file) throw new Error(`docker-compose.yml: secret ${name} is not a file`);
    secretFiles[name] = secret.file;
  }
  return { appServices, secretFiles };
}

/** KEY=VALUE lines of an env file, comments and blanks skipped (what docker compose reads). */
export function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1]) env[match[1]] = match[2] ?? '';
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// Containers

/** True where this process may start others as another user (it runs as root). */
export const canSwitchUser = (): boolean => process.getuid?.() === 0;

export interface Container {
  service: ComposeService;
  /** This container's own file system root: mounts, secrets and the image's folders. */
  root: string;
  /** A path inside the container as a path on this machine. */
  hostPath(inside: string): string;
  process: ChildProcess;
  /** The process's environment, with paths already mapped to this machine. */
  env: Record<string, string>;
  output(): string;
  /** SIGTERM, as `docker compose stop` sends; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface StartContainerOptions {
  layout: ImageLayout;
  service: ComposeService;
  /** The compose project (see {@link prepareProject}): env files, secrets and bind mounts are relative to it. */
  projectDir: string;
  secretFiles: Record<string, string>;
  /** This container's root folder (created). */
  root: string;
  /** Overrides of the service's own environment: only where this machine differs from a container. */
  overrides?: Record<string, string>;
  /** Run as the image's user; defaults to whenever this process may switch users. */
  asImageUser?: boolean;
}

/**
 * Starts a compose service's command the way its container would: the image's WORKDIR as the working
 * folder, the image's ENV overridden by the env files and then the service's environment, secrets
 * under /run/secrets, bind mounts and named volumes (a new volume starts with the image folder's
 * owner, or root's), as the image's user. Paths inside the container are mapped into `root`.
 */
export function startContainer(opts: StartContainerOptions): Container {
  const { layout, service, root } = opts;
  const { image } = layout;
  const asUser = opts.asImageUser ?? canSwitchUser();
  const ids = userIds(image.user);
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  const inImage = (p: string): boolean => p === image.workdir || p.startsWith(`${image.workdir}/`);
  const hostPath = (inside: string): string =>
    inImage(inside) ? path.join(layout.root, inside) : path.join(root, inside);
  const makeDir = (inside: string, owner: { uid: number; gid: number }): void => {
    const dir = hostPath(inside);
    mkdirSync(dir, { recursive: true });
    for (let d = dir; d.startsWith(root) && d !== root; d = path.dirname(d)) chmodSync(d, 0o755);
    if (asUser) chownSync(dir, owner.uid, owner.gid);
  };

  for (const folder of image.folders) {
    const owner = { uid: userIds(folder.user).uid, gid: userIds(folder.group).gid };
    makeDir(folder.path, owner);
  }
  const home = image.user === 'root' ? '/root' : `/home/${image.user}`;
  makeDir(home, ids);
  for (const name of service.secrets) {
    const source = opts.secretFiles[name];
    if (!source || !existsSync(source)) throw new Error(`${service.name}: secret ${name} has no file`);
    makeDir('/run/secrets', { uid: 0, gid: 0 });
    const target = hostPath(`/run/secrets/${name}`);
    copyFileSync(source, target);
    chmodSync(target, statSync(source).mode & 0o777);
  }
  for (const volume of service.volumes) {
    if (inImage(volume.target))
      throw new Error(`${service.name}: a volume over the image's ${volume.target}`);
    if (volume.type === 'bind') {
      const source = path.resolve(opts.projectDir, volume.source);
      if (!existsSync(source)) throw new Error(`${service.name}: bind mount ${volume.source} does not exist`);
      makeDir(path.dirname(volume.target), { uid: 0, gid: 0 });
      cpSync(source, hostPath(volume.target), { recursive: true });
    } else {
      // Docker fills a new named volume from the image: the folder's owner if the image has it, else root.
      const fromImage = image.folders.find((f) => f.path === volume.target);
      makeDir(
        volume.target,
        fromImage
          ? { uid: userIds(fromImage.user).uid, gid: userIds(fromImage.group).gid }
          : { uid: 0, gid: 0 },
      );
    }
  }

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: hostPath(home),
    ...image.env,
    ...Object.assign({}, ...service.envFiles.map((f) => readEnvFile(path.resolve(opts.projectDir, f)))),
    ...service.environment,
    ...opts.overrides,
  };
  // Absolute paths name places inside the container.
  for (const [key, value] of Object.entries(env)) {
    if (key !== 'PATH' && key !== 'HOME' && value.startsWith('/')) env[key] = hostPath(value);
  }

  const [program, ...args] = service.command;
  if (program !== 'node')
    throw new Error(`${service.name}: the test runs only node commands, not ${program}`);
  let output = '';
  const child = spawn(process.execPath, args, {
    cwd: hostPath(image.workdir),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asUser ? { uid: ids.uid, gid: ids.gid } : {}),
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    service,
    root,
    hostPath,
    process: child,
    env,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
  };
}

/**
 * A compose project folder as an operator starts it: deploy/ copied from the repository (without any
 * local secrets) and deploy/make-secrets.sh run in it. Returns the secret files by compose name.
 */
export function prepareProject(
  repo: string,
  projectDir: string,
  compose: ComposeFile,
): Record<string, string> {
  cpSync(path.join(repo, 'deploy'), path.join(projectDir, 'deploy'), {
    recursive: true,
    filter: (source) =>
      path.dirname(source) !== path.join(repo, 'deploy/secrets') || source.endsWith('README.md'),
  });
  const run = spawnSync('bash', [path.join(projectDir, 'deploy/make-secrets.sh')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`deploy/make-secrets.sh failed: ${run.stderr}`);
  const secretFiles: Record<string, string> = {};
  for (const [name, file] of Object.entries(compose.secretFiles)) {
    secretFiles[name] = path.resolve(projectDir, file);
  }
  return secretFiles;
}

/** Sets values in an env file as an operator edits it: each `KEY=VALUE` line replaced, the rest appended. */
export function editEnvFile(file: string, settings: Record<string, string>): void {
  const pending = new Map(Object.entries(settings));
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => {
      const key = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1];
      if (!key || !pending.has(key)) return line;
      const value = pending.get(key)!;
      pending.delete(key);
      return `${key}=${value}`;
    });
  for (const [key, value] of pending) lines.push(`${key}=${value}`);
  writeFileSync(file, `${lines.join('\n').trimEnd()}\n`);
}
