/**
 * patches/@nats-io__nats-core@3.4.0.patch: a successful request must not build a RequestError (nats.js'
 * RequestOne used to make one with a stack trace and drop it on every success; see README).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { errors } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectNats } from './connect.ts';

/** nats-core's errors module as request.js requires it (CommonJS: the same instance). */
function natsCoreErrors(): { RequestError: typeof errors.RequestError } {
  const fromTransport = createRequire(import.meta.resolve('@nats-io/transport-node'));
  const core = fromTransport.resolve('@nats-io/nats-core');
  return fromTransport(join(dirname(core), 'errors.js')) as { RequestError: typeof errors.RequestError };
}

let server: NatsServerHandle;

beforeAll(async () => {
  server = await startNatsServer();
});

afterAll(async () => {
  await server.stop();
});

it('answers requests without building a RequestError for each success', async () => {
  const module = natsCoreErrors();
  // The module nats.js uses, not a second copy.
  expect(module.RequestError).toBe(errors.RequestError);
  const original = module.RequestError;
  let built = 0;
  module.RequestError = class extends original {
    constructor(...args: ConstructorParameters<typeof original>) {
      super(...args);
      built++;
    }
  };
  const nc = await connectNats({ ...server.connectOptions, name: 'request-patch-test' });
  try {
    nc.subscribe('echo', {
      callback: (_error, msg) => {
        msg.respond(msg.data);
      },
    });
    for (let i = 0; i < 20; i++) {
      const reply = await nc.request('echo', new Uint8Array([i]), { timeout: 5_000 });
      expect(reply.data[0]).toBe(i);
    }
    expect(built).toBe(0);
  } finally {
    module.RequestError = original;
    await nc.close();
  }
});
