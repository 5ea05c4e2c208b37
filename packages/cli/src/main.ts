#!/usr/bin/env node
/**
 * The smsgw CLI entry: `node packages/cli/src/main.ts <command>` (or
 * `./run smsgw <command>`). Exit codes: 0 ok, 1 failure, 2 usage.
 */
import { processIo } from './cli-io.ts';
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv.slice(2), processIo());
