// riskAlerts subscribers held open for the whole soak (graphql-ws clients over WebSocket, a leader's
// key in connection_init, no filter: every alert event). Each notification is stamped as it arrives.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { LEADER_KEY } from './service.js';
import type { MomentsSent } from './load.js';

const SUBSCRIBE = `subscription {
  riskAlerts { type cursor alert { id kind status accountId detail } }
}`;
const CONNECT_WAVE = 25;

interface Notification {
  readonly type: string;
  readonly cursor: string;
  readonly alert: { readonly id: string; readonly kind: string; readonly detail: string | null };
}

/** When a negative moment of truth's alert reached the first and the last subscriber. */
interface MomentHeard {
  firstMs: number;
  lastMs: number;
  count: number;
}

export class Subscribers {
  private readonly clients: Client[] = [];
  private disposing = false;
  /** Notifications received, by window of arrival (index -1: before the load; `windows`: after it). */
  readonly received = new Map<number, number>();
  readonly byKind = new Map<number, Map<string, number>>();
  /** Failures: a subscription's error, an error payload, a connection closed during the run. */
  readonly failures: Array<{ readonly window: number; readonly what: string }> = [];
  /** Each distinct notification (by cursor) and how many subscribers received it. */
  readonly deliveries = new Map<string, number>();
  readonly moments = new Map<string, MomentHeard>();

  constructor(
    private readonly url: string,
    readonly count: number,
    private readonly sent: MomentsSent,
    /** The window an instant (performance.now()) falls in. */
    private readonly windowOf: (at: number) => number,
  ) {}

  async connect(): Promise<void> {
    for (let from = 0; from < this.count; from += CONNECT_WAVE) {
      const wave = Array.from({ length: Math.min(CONNECT_WAVE, this.count - from) }, () => this.open());
      await Promise.all(wave);
    }
  }

  private open(): Promise<void> {
    let connected: () => void = () => undefined;
    let refused: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      connected = resolve;
      refused = reject;
    });
    let wasConnected = false;
    const client = createClient({
      url: `${this.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${LEADER_KEY}` },
      lazy: false,
      retryAttempts: 0,
      on: {
        connected: () => {
          wasConnected = true;
          connected();
        },
        closed: (event) => {
          if (!wasConnected) refused(new Error(`a subscriber could not connect: ${JSON.stringify(event)}`));
          else if (!this.disposing)
            this.fail(`connection closed (${(event as { code?: number }).code ?? '?'})`);
        },
      },
    });
    client.subscribe<{ riskAlerts: Notification }>(
      { query: SUBSCRIBE },
      {
        next: (value) => {
          if (value.data) this.record(value.data.riskAlerts);
          if (value.errors) this.fail(`error payload: ${JSON.stringify(value.errors).slice(0, 200)}`);
        },
        error: (error) => {
          if (!this.disposing) this.fail(`subscription error: ${String(error).slice(0, 200)}`);
        },
        complete: () => {
          if (!this.disposing) this.fail('subscription completed by the server');
        },
      },
    );
    this.clients.push(client);
    return ready;
  }

  private fail(what: string): void {
    this.failures.push({ window: this.windowOf(performance.now()), what });
  }

  private record(notification: Notification): void {
    const now = performance.now();
    const window = this.windowOf(now);
    this.received.set(window, (this.received.get(window) ?? 0) + 1);
    const kinds = this.byKind.get(window) ?? new Map<string, number>();
    const label = `${notification.alert.kind} ${notification.type}`;
    kinds.set(label, (kinds.get(label) ?? 0) + 1);
    this.byKind.set(window, kinds);
    this.deliveries.set(notification.cursor, (this.deliveries.get(notification.cursor) ?? 0) + 1);
    if (notification.type !== 'RAISED' || notification.alert.kind !== 'NEGATIVE_MOMENT_OF_TRUTH') return;
    const detail = notification.alert.detail ?? '';
    const sent = this.sent.get(detail);
    if (!sent) return;
    const heard = this.moments.get(detail) ?? { firstMs: now - sent.dueAt, lastMs: NaN, count: 0 };
    heard.count += 1;
    if (heard.count === this.count) heard.lastMs = now - sent.dueAt;
    this.moments.set(detail, heard);
  }

  async close(): Promise<void> {
    this.disposing = true;
    await Promise.all(this.clients.map((client) => client.dispose()));
  }
}
