/**
 * What a test cluster's monitoring endpoints say: who leads JetStream's meta
 * group and each stream (`/jsz`), and whether a node is healthy (`/healthz`).
 * A hung node answers nothing: every request is bounded, and an unanswered
 * node counts as unknown.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { WaitTimeoutError } from './errors.ts';
import type { NatsClusterNode } from './nats-cluster-handle.ts';

/** How long one monitoring request may take (a hung node never answers). */
const REQUEST_TIMEOUT_MS = 1_000;

/** The parts of `/jsz?accounts=true&streams=true` read here. */
interface Jsz {
  readonly meta_cluster?: { readonly leader?: string };
  readonly account_details?: readonly {
    readonly stream_detail?: readonly {
      readonly name: string;
      readonly cluster?: { readonly leader?: string };
    }[];
  }[];
}

async function getJson(host: string, port: number, path: string): Promise<unknown> {
  const response = await fetch(`http://${host}:${port}${path}`, {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${path} on ${host}:${port}: HTTP ${response.status}`);
  return response.json();
}

/** `/jsz` of one node, undefined when it does not answer in time. */
async function jszOf(host: string, node: NatsClusterNode): Promise<Jsz | undefined> {
  try {
    return (await getJson(host, node.monitorPort, '/jsz?accounts=true&streams=true')) as Jsz;
  } catch {
    // Down or hung: it says nothing.
    return undefined;
  }
}

/** Every stream's leader by node index, merged over the nodes that answer (the first answer per stream wins). */
export async function readStreamLeaders(
  host: string,
  nodes: readonly NatsClusterNode[],
): Promise<Map<string, number>> {
  const answers = await Promise.all(nodes.map((n) => jszOf(host, n)));
  const leaders = new Map<string, number>();
  for (const jsz of answers) {
    for (const account of jsz?.account_details ?? []) {
      for (const stream of account.stream_detail ?? []) {
        const index = nodes.findIndex((n) => n.name === stream.cluster?.leader);
        if (index >= 0 && !leaders.has(stream.name)) leaders.set(stream.name, index);
      }
    }
  }
  return leaders;
}

/** Whether the node answers `/healthz` with ok and names a meta leader that is one of the nodes. */
async function nodeReady(host: string, node: NatsClusterNode, names: readonly string[]): Promise<boolean> {
  try {
    await getJson(host, node.monitorPort, '/healthz');
    const jsz = (await getJson(host, node.monitorPort, '/jsz')) as Jsz;
    return names.includes(jsz.meta_cluster?.leader ?? '');
  } catch {
    return false;
  }
}

/** Waits until every node of `running` is healthy and knows a meta leader. */
export async function waitClusterReady(
  host: string,
  nodes: readonly NatsClusterNode[],
  running: readonly number[],
  timeoutMs: number,
): Promise<void> {
  const names = nodes.map((n) => n.name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await Promise.all(running.map((i) => nodeReady(host, nodes[i] as NatsClusterNode, names)));
    if (ready.every(Boolean)) return;
    if (Date.now() >= deadline) {
      const late = running.filter((_, k) => ready[k] !== true).map((i) => nodes[i]?.name);
      throw new WaitTimeoutError(
        `NATS cluster not ready within ${timeoutMs} ms: ${late.join(', ')} not healthy or without a meta leader`,
      );
    }
    await sleep(100);
  }
}
