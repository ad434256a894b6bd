// Temporal's worker logs every state change at INFO; tests only want warnings.
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this worker process by an earlier test file.
}
