// Registers the conversations' search attributes (workflows/search-attributes.ts)
// in the Temporal namespace, once, at start-up of the worker and the server.
// Temporal refuses a workflow that sets an unregistered attribute, so this runs
// before any worker polls or any conversation starts.
import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const GRPC_UNIMPLEMENTED = 12;

export async function ensureSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<void> {
  const registered = await registeredAttributes(connection, namespace);
  const missing = Object.values(SEARCH_ATTRIBUTES).filter((key) => !registered.has(key.name));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!])),
    });
  } catch (err) {
    // Temporal Cloud, for one, adds search attributes only through its own console or tcld.
    const list = missing.map((key) => `${key.name} (${key.type})`).join(', ');
    throw new Error(`could not register the search attributes ${list} in namespace "${namespace}": ${(err as Error).message}. Add them with your Temporal admin tools, then start again.`, { cause: err });
  }
}

async function registeredAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<Set<string>> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return new Set(Object.keys(customAttributes ?? {}));
  } catch (err) {
    // The time-skipping test server cannot list them, and starts with none.
    if ((err as { code?: number }).code === GRPC_UNIMPLEMENTED) return new Set();
    throw err;
  }
}
