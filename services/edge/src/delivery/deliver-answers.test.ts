import { DeliverOutcome, type DeliverResponse } from '@smsgw/proto';
import { describe, expect, it } from 'vitest';
import { DeliverAnswers, type AnswerSink } from './deliver-answers.ts';

/** A sink that keeps what is written, as `kind` strings. */
function sink(): AnswerSink & { written: string[]; cancelled: boolean } {
  const written: string[] = [];
  return {
    written,
    cancelled: false,
    writableEnded: false,
    write(response: DeliverResponse) {
      const { kind } = response;
      if (kind.case === 'result') written.push(`result ${kind.value.deliveryId}`);
      if (kind.case === 'credit')
        written.push(`credit ${kind.value.systemId} ${kind.value.freeWindow} ${kind.value.lastDeliveryId}`);
      if (kind.case === 'batch') {
        const results = kind.value.results.map((r) => String(r.deliveryId)).join(',');
        const credits = kind.value.credits
          .map((c) => `${c.systemId} ${c.freeWindow} ${c.lastDeliveryId}`)
          .join(',');
        written.push(`batch [${results}] [${credits}]`);
      }
      return true;
    },
  };
}

const delivered = { outcome: DeliverOutcome.DELIVERED, commandStatus: 0, sessionId: 's1' };
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('DeliverAnswers', () => {
  it('answers an older dispatcher with a result and a credit per request', () => {
    const call = sink();
    const answers = new DeliverAnswers(call, false, () => 4);
    answers.received(1n);
    answers.received(2n);
    answers.answer(1n, 'acme', delivered);
    answers.answer(2n, '', delivered);
    expect(call.written).toEqual(['result 1', 'credit acme 4 2', 'result 2']);
  });

  it('answers a dispatcher that reads batches with one batch per turn, one credit per account computed at the end of the turn', async () => {
    const call = sink();
    let free = 3;
    const answers = new DeliverAnswers(call, true, (systemId) => (systemId === 'acme' ? free : 9));
    for (const id of [1n, 2n, 3n]) answers.received(id);
    answers.answer(2n, 'acme', delivered);
    answers.answer(1n, 'globex', delivered);
    answers.answer(3n, 'acme', delivered);
    free = 5;
    answers.received(4n);
    expect(call.written).toEqual([]);
    await nextTurn();
    expect(call.written).toEqual(['batch [2,1,3] [acme 5 4,globex 9 4]']);
    answers.answer(4n, 'acme', delivered);
    await nextTurn();
    expect(call.written).toEqual(['batch [2,1,3] [acme 5 4,globex 9 4]', 'batch [4] [acme 5 4]']);
  });

  it('flushes at once when asked (before the stream ends), and the turn then has nothing left', async () => {
    const call = sink();
    const answers = new DeliverAnswers(call, true, () => 1);
    answers.received(1n);
    answers.answer(1n, 'acme', delivered);
    answers.flush();
    expect(call.written).toEqual(['batch [1] [acme 1 1]']);
    await nextTurn();
    expect(call.written).toHaveLength(1);
  });

  it('writes nothing to a cancelled stream', async () => {
    const call = sink();
    const answers = new DeliverAnswers(call, true, () => 1);
    answers.answer(1n, 'acme', delivered);
    call.cancelled = true;
    await nextTurn();
    answers.answer(2n, 'acme', delivered);
    await nextTurn();
    expect(call.written).toEqual([]);
  });
});
