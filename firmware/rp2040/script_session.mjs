// --script: enter the raw REPL, send the script, pass its stdout on and its traceback
// to stderr. `failed` tells whether the script raised.
const RAW_REPL_BANNER = 'raw REPL; CTRL-B to exit\r\n>';

export class ScriptSession {
  constructor(board, source) {
    this.board = board;
    this.source = source;
    this.state = 'banner';
    this.text = '';
    this.failed = false;
    board.input.push([0x03, 0x01]); // Ctrl-C (stops main.py, if any), Ctrl-A: raw REPL
  }

  // Takes firmware output; returns true once the script has finished.
  onOutput(bytes) {
    this.text += bytes.toString('latin1');
    if (this.state === 'banner') {
      if (this.text.indexOf(RAW_REPL_BANNER) < 0) return false;
      this.text = '';
      this.state = 'ok';
      this.board.input.push(this.source);
      this.board.input.push([0x04]);
    }
    if (this.state === 'ok') {
      if (this.text.length < 2) return false;
      if (!this.text.startsWith('OK')) throw new Error(`raw REPL refused the script: ${JSON.stringify(this.text)}`);
      this.text = this.text.slice(2);
      this.state = 'stdout';
    }
    if (this.state === 'stdout') {
      if (!this.passOn(process.stdout)) return false;
      this.state = 'stderr';
    }
    if (this.state === 'stderr') {
      return this.passOn(process.stderr);
    }
    return false;
  }

  // Writes text up to the next Ctrl-D; returns true when the Ctrl-D came.
  passOn(stream) {
    const end = this.text.indexOf('\x04');
    const part = end < 0 ? this.text : this.text.slice(0, end);
    if (stream === process.stderr && part.length) this.failed = true;
    stream.write(Buffer.from(part, 'latin1'));
    this.text = end < 0 ? '' : this.text.slice(end + 1);
    return end >= 0;
  }

  describe() {
    return `waiting for ${this.state}`;
  }
}
