// A local webhook receiver for the suites: records every request and answers as told (a status,
// or never, until the client gives up), counting how many requests it holds at once.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A status to answer with, or 'hang' to keep the request open until the client aborts it. */
export type Answer = number | 'hang';

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly url: string;
  /** Date.now() when the body had arrived. */
  readonly receivedAt: number;
  /** The status sent, once sent. */
  status?: number;
}

export interface WebhookReceiver {
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** The requests answered with a 2xx, in order. */
  acknowledged(): ReceivedRequest[];
  /** Answers request `n` (from 1); replace it to change behaviour. */
  answer: (n: number) => Answer;
  /** Most requests held at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export async function startReceiver(
  answer: (n: number) => Answer = () => 200,
  options: { readonly delayMs?: number } = {},
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const receiver = {
    url: '',
    requests,
    acknowledged: () => requests.filter((r) => r.status !== undefined && r.status < 300),
    answer,
    get maxInFlight() {
      return maxInFlight;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const respond = (res: ServerResponse, request: ReceivedRequest, status: number) => {
    if (res.destroyed) return;
    request.status = status;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
  };
  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        url: req.url ?? '',
        receivedAt: Date.now(),
      };
      requests.push(request);
      const decided = receiver.answer(requests.length);
      if (decided === 'hang') return;
      if (options.delayMs) setTimeout(() => respond(res, request, decided), options.delayMs);
      else respond(res, request, decided);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`;
  return receiver;
}
