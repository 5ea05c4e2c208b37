/** Errors of @smsgw/telemetry. */

/** Something in telemetry's own machinery failed (a test receiver that got no spans in time). */
export class TelemetryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TelemetryError';
  }
}
