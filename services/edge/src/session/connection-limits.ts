/**
 * Caps on open connections, checked when a TCP connection is accepted, before
 * any TLS or SMPP work (SmppServer's `admit`): at most `maxConnections` in
 * all (both listeners), `maxPerAddress` from one remote address, and
 * `maxUnbound` not yet bound (a TLS connection still in its handshake counts
 * as unbound). So a peer that opens connections and never binds cannot take
 * the file descriptors the other listeners and the bound customers need
 * (issue #14). A connection is counted until its socket closes.
 */
import type net from 'node:net';

/** Caps of ConnectionLimits. */
export interface ConnectionLimitsOptions {
  /** Open connections at most (EDGE_MAX_CONNECTIONS). */
  readonly maxConnections: number;
  /** Open connections from one remote address at most (EDGE_MAX_CONNECTIONS_PER_ADDRESS). */
  readonly maxPerAddress: number;
  /** Open connections not yet bound at most (EDGE_MAX_UNBOUND_CONNECTIONS). */
  readonly maxUnbound: number;
}

/** Which cap refused a connection (edge_connections_refused_total's `reason`). */
export type RefusalReason = 'max_connections' | 'per_address' | 'unbound';

/** Counts of open, per-address and bound connections, and the admission decision. */
export class ConnectionLimits {
  readonly #o: ConnectionLimitsOptions;
  readonly #perAddress = new Map<string, number>();
  #open = 0;
  #bound = 0;

  constructor(options: ConnectionLimitsOptions) {
    this.#o = options;
  }

  /** Open connections (admitted, socket not yet closed). */
  get open(): number {
    return this.#open;
  }

  /** Open connections not bound (may briefly lag a close by one event). */
  get unbound(): number {
    return Math.max(0, this.#open - this.#bound);
  }

  /** Remote addresses with an open connection. */
  get addresses(): number {
    return this.#perAddress.size;
  }

  /**
   * Admits the connection (counted until its socket closes) and returns
   * undefined, or returns the cap that refuses it (nothing counted).
   */
  admit(socket: net.Socket): RefusalReason | undefined {
    const address = socket.remoteAddress ?? '?';
    const fromAddress = this.#perAddress.get(address) ?? 0;
    if (this.#open >= this.#o.maxConnections) return 'max_connections';
    if (fromAddress >= this.#o.maxPerAddress) return 'per_address';
    if (this.unbound >= this.#o.maxUnbound) return 'unbound';
    this.#open++;
    this.#perAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      this.#open--;
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(address, left);
      else this.#perAddress.delete(address);
    });
    return undefined;
  }

  /** A session bound: it no longer counts against maxUnbound. */
  sessionBound(): void {
    this.#bound++;
  }

  /** A bound session closed. */
  boundSessionClosed(): void {
    this.#bound--;
  }
}
