#!/usr/bin/env node
// The `huiliu` command. The CLI is TypeScript run in place (no build step), so
// tsx is registered first. Paths are resolved from this file, not the cwd, so
// it works from any directory and through the node_modules/.bin symlink.
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

register({ tsconfig: join(import.meta.dirname, '..', 'tsconfig.json') });
await import('../server/cli/main.ts');
