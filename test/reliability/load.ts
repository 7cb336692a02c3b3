/**
 * 64 clients logging emails (POST /api/interactions) for a while, one in ten
 * sending again a message it already sent (same externalId: a redelivery).
 * Each client behaves as Slack or a well-behaved integration does: on 503 or
 * a connection error it waits Retry-After (or backs off exponentially, with
 * jitter) and sends the same payload again, until it is acknowledged (201 or
 * 200) or it gives up. Every attempt is recorded with its times, so a 503 can
 * be judged inside or outside the outage window.
 */

export interface Attempt {
  sentAt: number;
  answeredAt: number;
  /** HTTP status, or 0 for a connection error, -1 for our own timeout */
  status: number;
}

export interface LoadResult {
  attempts: Attempt[];
  /** externalId -> number of 201 answers it got */
  created: Map<string, number>;
  /** externalIds acknowledged (201 or 200) */
  acked: Set<string>;
  /** deliveries (a message sent, retries included) that ended unacknowledged */
  gaveUp: number;
  /** statuses other than 200/201/503 with a sample body */
  unexpected: { status: number; body: string }[];
}

const SENDERS = 200;
const BODY = 'Hi, following up on our call: the signed order form is attached, please confirm the delivery date. ご確認よろしくお願いいたします。';
/** one request longer than this is a hang, not an answer */
export const REQUEST_TIMEOUT_MS = 30_000;
const GIVE_UP_MS = 60_000;

function payloadOf(prefix: string, k: number, repEmail: string) {
  const s = k % SENDERS;
  return {
    kind: 'email',
    source: 'gmail',
    externalId: `<${prefix}-${k}@mail.example.com>`,
    occurredAt: new Date(Date.UTC(2026, 10, 1) + k * 1000).toISOString(),
    subject: `Order confirmation ${k}`,
    body: `${BODY} #${k}`,
    threadKey: `${prefix}-thread-${Math.floor(k / 3)}`,
    participants: [
      { role: 'from', email: `buyer${s}@customer${s % 20}.example.org`, name: `Buyer ${s}` },
      { role: 'to', email: repEmail, name: 'Rep' },
    ],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(opts: { base: string; token: string; repEmail: string; prefix: string; clients: number; seconds: number }): Promise<LoadResult> {
  const result: LoadResult = { attempts: [], created: new Map(), acked: new Set(), gaveUp: 0, unexpected: [] };
  const sent: number[] = [];
  let next = 0;
  const deadline = Date.now() + opts.seconds * 1000;
  let rand = 0x2545f491;
  const random = () => (rand = (rand * 1103515245 + 12345) >>> 0) / 2 ** 32;

  async function deliver(k: number) {
    const body = JSON.stringify(payloadOf(opts.prefix, k, opts.repEmail));
    const id = `<${opts.prefix}-${k}@mail.example.com>`;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const a: Attempt = { sentAt: Date.now(), answeredAt: 0, status: 0 };
      let retryAfter: number | undefined;
      try {
        const res = await fetch(`${opts.base}/api/interactions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        a.status = res.status;
        const ra = Number(res.headers.get('retry-after'));
        if (ra > 0) retryAfter = ra * 1000;
        if (res.status !== 200 && res.status !== 201 && res.status !== 503 && result.unexpected.length < 20)
          result.unexpected.push({ status: res.status, body: text.slice(0, 300) });
      } catch (e) {
        a.status = (e as Error).name === 'TimeoutError' ? -1 : 0;
      }
      a.answeredAt = Date.now();
      result.attempts.push(a);
      if (a.status === 200 || a.status === 201) {
        result.acked.add(id);
        if (a.status === 201) result.created.set(id, (result.created.get(id) ?? 0) + 1);
        return;
      }
      const retryable = a.status === 503 || a.status === 0 || a.status === -1;
      if (!retryable || Date.now() - started > GIVE_UP_MS) {
        result.gaveUp++;
        return;
      }
      const backoff = Math.min(4_000, 250 * 2 ** attempt) * (0.5 + random());
      await sleep(retryAfter ?? backoff);
    }
  }

  async function client() {
    while (Date.now() < deadline) {
      // one in ten: an earlier message again, half of them a recent one (a
      // retry racing the first delivery), half any earlier one
      let k: number;
      if (sent.length > 64 && random() < 0.1) {
        k = random() < 0.5 ? sent[sent.length - 1 - Math.floor(random() * 64)]! : sent[Math.floor(random() * sent.length)]!;
      } else {
        k = next++;
        sent.push(k);
      }
      await deliver(k);
    }
  }
  await Promise.all(Array.from({ length: opts.clients }, client));
  return result;
}
