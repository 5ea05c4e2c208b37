/** The topology cannot be built as asked: an invalid name or option, or a server that refuses a configuration. */
export class TopologyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TopologyError';
  }
}
