import { ROOT_CONTEXT, context, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger as captureLogger } from './memory-logger.ts';
import { componentLogger } from './logger.ts';
import { traceContextFields } from './trace-mixin.ts';

/** A synchronous context manager, enough for context.with() in a test (the SDK uses AsyncLocalStorage). */
class StackContextManager implements ContextManager {
  #stack: Context[] = [];
  active(): Context {
    return this.#stack.at(-1) ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.#stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#stack.pop();
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#stack = [];
    return this;
  }
}

const span = trace.wrapSpanContext({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
});

describe('trace_id and span_id on log lines', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new StackContextManager());
  });
  afterAll(() => {
    context.disable();
  });

  it('adds the active span to every line inside it, children and custom mixins included, and nothing outside', () => {
    const { logger, lines } = captureLogger({ service: 'router', mixin: () => ({ extra: 1 }) });
    logger.info('before');
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => {
      logger.info({ message_id: 'm1' }, 'inside');
      componentLogger(logger, 'worker').debug('child inside');
    });
    logger.info('after');
    const [before, inside, child, after] = lines();
    const ids = {
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      trace_flags: '01',
    };
    expect(inside).toMatchObject({ ...ids, message_id: 'm1', extra: 1, msg: 'inside' });
    expect(child).toMatchObject({ ...ids, component: 'worker' });
    for (const line of [before, after]) {
      expect(line).not.toHaveProperty('trace_id');
      expect(line).toMatchObject({ extra: 1 });
    }
  });

  it('adds nothing for an invalid span context', () => {
    const invalid = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });
    expect(context.with(trace.setSpan(ROOT_CONTEXT, invalid), traceContextFields)).toEqual({});
  });
});
