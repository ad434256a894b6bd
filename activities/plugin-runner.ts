// Runs plugin nodes (any node type with a handler in the registry) for the
// conversation workflow, and in dry-run mode for the simulator.
import { ApplicationFailure } from '@temporalio/common';
import type { NodeRunInput, NodeRunResult } from '../rules/plugin';
import { plugins as registered } from './registry';
import type { NodeHandler, Plugin, PluginDeps } from './plugins/types';

/** `plugins`: the registry's, unless a test brings its own. */
export function pluginRunner(deps: PluginDeps, plugins: Plugin[] = registered) {
  const runners = new Map<string, { handler: NodeHandler; fact?: string }>(); // by `type@typeVersion`, each built once
  return async function runPluginNode(input: NodeRunInput): Promise<NodeRunResult> {
    const key = `${input.type}@${input.typeVersion}`;
    let runner = runners.get(key);
    if (!runner) {
      const plugin = plugins.find((p) => p.definition.type === input.type && p.definition.typeVersion === input.typeVersion);
      if (!plugin?.createHandler) {
        // Publishing validates node types, so only a removed plugin gets here; retrying cannot help.
        throw ApplicationFailure.nonRetryable(`node "${input.nodeId}" has type ${key}, which this worker does not run`, 'InvalidFlow');
      }
      runner = { handler: plugin.createHandler(deps), fact: plugin.definition.provides?.fact };
      runners.set(key, runner);
    }
    return { ...(await runner.handler(input)), fact: runner.fact };
  };
}
