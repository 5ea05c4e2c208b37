/**
 * Keeps the last `limit` characters a child process wrote, so that a failed
 * start can say why (nats-server logs to stderr) without buffering a chatty
 * server's whole log.
 */
export class OutputTail {
  readonly #limit: number;
  #text = '';

  constructor(limit = 8192) {
    this.#limit = limit;
  }

  /** Appends a chunk, dropping the oldest text beyond the limit. */
  push(chunk: Buffer | string): void {
    this.#text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (this.#text.length > this.#limit) this.#text = this.#text.slice(this.#text.length - this.#limit);
  }

  /** The retained text. */
  text(): string {
    return this.#text;
  }

  /** Forgets everything (before a restart, so old errors are not reported again). */
  clear(): void {
    this.#text = '';
  }
}
