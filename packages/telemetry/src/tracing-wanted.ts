/**
 * Whether the environment asks for spans to be exported: an OTLP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), or an
 * explicit non-OTLP OTEL_TRACES_EXPORTER (console, zipkin); never with
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. Kept apart from the
 * SDK so that deciding costs nothing when the answer is no.
 */

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

/** See the module comment. */
export function tracingWanted(environment: Readonly<Record<string, string | undefined>>): boolean {
  if (environment['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporters = listOf(environment['OTEL_TRACES_EXPORTER']);
  if (exporters[0] === 'none') return false;
  if (exporters.some((e) => e !== 'otlp')) return true;
  const endpoint =
    environment['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? environment['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? '';
  return endpoint.trim() !== '';
}
