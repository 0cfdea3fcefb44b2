import Fastify from 'fastify';
import { listen, registerErrorHandler, type RunningSimulator } from '../elearning-common';
import { registerRequestFaults, type RequestFaults } from '../common/faults';
import { registerMoodleAdmin } from './admin';
import { MoodleException, moodleExceptions } from './exceptions';
import { wsFunctions } from './functions';
import { parseMoodleParams, type ParamValue } from './params';
import { MoodleState } from './state';

export interface MoodleSimulatorOptions {
  port?: number;
  /** The web service token the REST server accepts (`wstoken`). */
  token: string;
}

/** One web service call as the simulator received it (tests count what a poll asked). */
export interface MoodleCall {
  wsfunction: string;
  params: Record<string, ParamValue>;
}

export interface MoodleSimulator extends RunningSimulator<MoodleState> {
  faults: RequestFaults;
  /** Every web service call with a valid token, oldest first; tests may empty it. */
  calls: MoodleCall[];
}

const REST_PATH = '/webservice/rest/server.php';

/**
 * A Moodle site as its REST web services show it: POST or GET `/webservice/rest/server.php` with
 * `wstoken`, `wsfunction`, `moodlewsrestformat=json` and PHP-style form parameters. Moodle answers
 * its exceptions with HTTP 200 and `{exception, errorcode, message}`.
 */
export async function startMoodleSimulator(opts: MoodleSimulatorOptions): Promise<MoodleSimulator> {
  const state = new MoodleState();
  const calls: MoodleCall[] = [];
  const app = Fastify({ logger: false });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, new URLSearchParams(body as string)),
  );
  const faults = registerRequestFaults(app);
  registerMoodleAdmin(app, state);
  registerErrorHandler(app);

  const handle = (form: URLSearchParams): unknown => {
    try {
      if (form.get('wstoken') !== opts.token) throw moodleExceptions.invalidToken();
      const name = form.get('wsfunction') ?? '';
      const fn = wsFunctions[name];
      if (!fn) throw moodleExceptions.missingRecord('external_functions');
      const params = parseMoodleParams(
        [...form].filter(([k]) => !['wstoken', 'wsfunction', 'moodlewsrestformat'].includes(k)),
      );
      calls.push({ wsfunction: name, params });
      return fn(state, params);
    } catch (err) {
      if (err instanceof MoodleException) return err.toJSON();
      throw err;
    }
  };
  const queryOf = (url: string): URLSearchParams => new URL(url, 'http://moodle.invalid').searchParams;
  app.get(REST_PATH, async (request) => handle(queryOf(request.url)));
  app.post(REST_PATH, async (request) => {
    const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    // Moodle reads the token and function name from the query string as well as from the body.
    for (const [k, v] of queryOf(request.url)) if (!form.has(k)) form.set(k, v);
    return handle(form);
  });

  const running = await listen(app, opts.port ?? 0, state);
  return { ...running, faults, calls };
}
