import { setupServer } from 'msw/node';
import type { RequestHandler } from 'msw';

/**
 * msw for the network edge only. Any request to a host other than loopback
 * that no handler answers fails the test; loopback (our own servers) passes.
 */
export function setupNetwork(...handlers: RequestHandler[]) {
  const server = setupServer(...handlers);
  server.listen({
    onUnhandledRequest(request, print) {
      const host = new URL(request.url).hostname;
      if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return;
      print.error();
      throw new Error(`unexpected network request: ${request.method} ${request.url}`);
    },
  });
  return server;
}
