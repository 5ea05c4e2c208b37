/** The gateway bench could not run (setup failed, a service did not come up). */
export class BenchError extends Error {
  override readonly name = 'BenchError';
}
