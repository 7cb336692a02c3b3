/**
 * Inside the worker: prepare the file once, then hand its rows out in the
 * slices the server asks for, until it is told to stop. The rows stay here,
 * so the server's own heap holds one slice at a time.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { ImportFileError } from './csv.js';
import { prepareImport, type PreparedImport } from './prepare.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

const port = parentPort!;
let prepared: PreparedImport | undefined;
const send = (m: WorkerReply) => port.postMessage(m);

port.on('message', (m: WorkerRequest) => {
  if (m.type === 'prepare') {
    try {
      let last = 0;
      prepared = prepareImport(m.bytes, {
        map: m.map,
        maxRows: m.maxRows,
        onProgress: (phase, done, total) => {
          const now = performance.now();
          if (now - last > 100 || done >= total) {
            last = now;
            send({ type: 'progress', phase, done, total });
          }
        },
      });
      const { rows, ...summary } = prepared;
      send({ type: 'prepared', summary: { ...summary, rowCount: rows.length, threadId } });
    } catch (e) {
      if (e instanceof ImportFileError) send({ type: 'file-error', key: e.key, params: e.params });
      else throw e;
    }
  } else if (m.type === 'rows') {
    send({ type: 'rows', rows: prepared ? prepared.rows.slice(m.from, m.from + m.count) : [] });
  } else if (m.type === 'close') {
    prepared = undefined;
    port.close();
  }
});
