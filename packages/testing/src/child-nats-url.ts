import type { NatsServerHandle } from './nats-server-handle.ts';

/**
 * NATS_URL for a child process (a service under test): the server's URL, with
 * the credentials the container backend needs written into it.
 */
export function childNatsUrl(server: NatsServerHandle): string {
  const { user, pass } = server.connectOptions;
  if (user === undefined) return server.url;
  const url = new URL(server.url);
  url.username = user;
  url.password = pass ?? '';
  return url.toString();
}
