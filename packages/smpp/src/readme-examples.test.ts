/**
 * The README's examples are the files in examples/ (type-checked with the rest of the repository) and
 * they work: the client sends through the server and gets its receipt, for a short and a long text.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAndWaitForReceipt } from '../examples/client.ts';
import { startServer } from '../examples/server.ts';
import type { SmppServer } from './index.ts';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

let server: SmppServer;
beforeAll(async () => {
  server = await startServer(0);
});
afterAll(async () => {
  await server.close();
});

describe('README examples', () => {
  it('shows each example file as it is', () => {
    const readme = read('../README.md');
    for (const file of ['../examples/server.ts', '../examples/client.ts']) {
      expect(readme, file).toContain('```ts\n' + read(file) + '```');
    }
  });

  it('sends a short and a long text through the example server and gets DELIVRD receipts', async () => {
    const { port } = server.address();
    expect(await sendAndWaitForReceipt(port, '4512345678', 'Hello')).toBe('DELIVRD');
    expect(await sendAndWaitForReceipt(port, '4512345678', 'Long message '.repeat(30))).toBe('DELIVRD');
  });
});
