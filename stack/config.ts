import path from 'node:path';
import { z } from 'zod';
import { configTypes, setting } from '../platform/config';
import { repoRoot } from '../platform/tools';

const { port } = configTypes;

/** Settings of the embedded local stack only; the worker's own settings stay in platform/config. */
export const stackSpec = {
  dataDir: setting('STACK_DATA_DIR', z.string().min(1).default(path.join(repoRoot, '.data'))),
  temporalPort: setting('STACK_TEMPORAL_PORT', port.default(7233)),
  temporalUiPort: setting('STACK_TEMPORAL_UI_PORT', port.default(8233)),
  smtpHttpPort: setting('STACK_SMTP_HTTP_PORT', port.default(8025)),
  coachviewPort: setting('STACK_COACHVIEW_PORT', port.default(4010)),
  moodlePort: setting('STACK_MOODLE_PORT', port.default(4020)),
  iliasPort: setting('STACK_ILIAS_PORT', port.default(4030)),
  anewspringPort: setting('STACK_ANEWSPRING_PORT', port.default(4040)),
  itslearningPort: setting('STACK_ITSLEARNING_PORT', port.default(4050)),
  infocaptionPort: setting('STACK_INFOCAPTION_PORT', port.default(4080)),
  winlasPort: setting('STACK_WINLAS_PORT', port.default(4090)),
  wiseflowPort: setting('STACK_WISEFLOW_PORT', port.default(4060)),
  praktikportalenPort: setting('STACK_PRAKTIKPORTALEN_PORT', port.default(4070)),
  demoData: setting('STACK_DEMO_DATA', configTypes.bool.default(true)),
};
