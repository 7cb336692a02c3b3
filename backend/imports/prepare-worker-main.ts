/**
 * Inside the worker: read the upload and prepare the file once, then hand
 * its rows out in the slices the server asks for, until it is told to stop.
 * The rows stay here, so the server's own heap holds one slice at a time.
 */
import { setPriority } from 'node:os';
import { parentPort, threadId } from 'node:worker_threads';
import { prepareSource } from './prepare-source.js';
import type { CsvRecord } from './csv.js';
import type { ImportRow } from './rows.js';
import { recordsAt, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

// below the server's own thread: on Linux a thread's nice value is its own,
// so when both want the CPU, requests go first and the import waits
try {
  setPriority(10);
} catch {
  // not allowed here: the import simply competes as an equal
}

const port = parentPort!;
let rows: ImportRow[] = [];
let source: CsvRecord[] | undefined;
const send = (m: WorkerReply) => port.postMessage(m);

port.on('message', async (m: WorkerRequest) => {
  if (m.type === 'prepare') {
    let last = 0;
    const reply = await prepareSource(m.source, {
      map: m.map,
      maxRows: m.maxRows,
      locale: m.locale,
      skipInvalid: m.skipInvalid,
      onProgress: (phase, done, total) => {
        const now = performance.now();
        if (now - last > 100 || done >= total) {
          last = now;
          send({ type: 'progress', phase, done, total });
        }
      },
    });
    if (reply.type === 'prepared') {
      rows = reply.rows;
      source = reply.source;
      send({ type: 'prepared', summary: { ...reply.summary, threadId } });
    } else send(reply);
  } else if (m.type === 'rows') {
    send({ type: 'rows', rows: rows.slice(m.from, m.from + m.count) });
  } else if (m.type === 'records') {
    send({ type: 'records', records: recordsAt(source, m.lines) });
  } else if (m.type === 'close') {
    rows = [];
    source = undefined;
    port.close();
  }
});
