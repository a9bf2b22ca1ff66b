// --pty: a pseudo-terminal from pty_bridge.py (Node has no pty API). The bridge prints
// the terminal's path, then copies bytes both ways.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export function openPty({ onPath, onData, onExit }) {
  const bridge = spawn('python3', [join(HERE, 'pty_bridge.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  let pending = null;
  bridge.stdout.on('data', (chunk) => {
    if (pending === undefined) { onData(chunk); return; }
    pending = pending ? Buffer.concat([pending, chunk]) : chunk;
    const nl = pending.indexOf(10);
    if (nl < 0) return;
    onPath(pending.subarray(0, nl).toString());
    const rest = pending.subarray(nl + 1);
    pending = undefined;
    if (rest.length) onData(rest);
  });
  bridge.on('exit', onExit);
  return {
    write: (bytes) => bridge.stdin.write(bytes),
    // Ends the bridge's input: it forwards what is left, then exits and the pty closes.
    close: (done) => bridge.stdin.end(done),
  };
}
