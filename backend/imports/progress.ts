/**
 * A progress bar on stderr for `npm run import`: one line per phase (parse,
 * validate, write), redrawn in place on a terminal; on a pipe, one line when
 * each phase ends. The write phase is one database call, so it shows the time
 * spent rather than a share.
 *   parse    [████████████████████] 100%  0.4 s
 *   validate [██████████░░░░░░░░░░]  52%  0.1 s
 */
import type { Phase } from './service.js';

const WIDTH = 24;
const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function progressBar(out: NodeJS.WriteStream = process.stderr) {
  const tty = Boolean(out.isTTY);
  let phase: Phase | null = null;
  let started = 0;
  let lastDraw = 0;
  let timer: NodeJS.Timeout | null = null;
  let frame = 0;
  const secs = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const draw = (done: number, total: number, final = false) => {
    if (!phase) return;
    const label = phase.padEnd(8);
    if (phase === 'write' && !final) {
      if (tty) out.write(`\r${label} ${SPIN[frame++ % SPIN.length]} ${secs()}\x1b[K`);
      return;
    }
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * WIDTH);
    const text = `${label} [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ${secs()}`;
    if (tty) out.write(`\r${text}\x1b[K${final ? '\n' : ''}`);
    else if (final) out.write(`${text}\n`);
  };
  const finish = () => {
    if (timer) clearInterval(timer);
    timer = null;
    if (phase) draw(1, 1, true);
    phase = null;
  };
  return {
    update(p: Phase, done: number, total: number) {
      if (p !== phase) {
        finish();
        phase = p;
        started = performance.now();
        if (p === 'write' && tty) timer = setInterval(() => draw(0, 1), 100);
      }
      if (p === 'write' && done >= total) return finish();
      const now = performance.now();
      if (now - lastDraw > 50 || done >= total) {
        lastDraw = now;
        draw(done, total);
      }
    },
    /** ends the current phase's line */
    done: finish,
  };
}
