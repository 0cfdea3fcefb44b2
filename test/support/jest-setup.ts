import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep test output readable: the SDK's own logs only from WARN up.
Runtime.install({ logger: new DefaultLogger('WARN') });
