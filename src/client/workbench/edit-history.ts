/** A state of the target editor: its value in the placeholder form and the caret in it. */
export interface EditState {
  value: string;
  caret: { start: number; end: number };
}

const LIMIT = 200;
/** Keystrokes closer together than this are one step of undo. */
const TYPING_PAUSE_MS = 1_000;

/**
 * Undo and redo for the target editor. The editor draws its element again from the
 * placeholder form (a token appears, a paste is made plain), which leaves the browser's own
 * undo stack pointing at nodes that are gone; so the editor keeps its states here.
 */
export class EditHistory {
  private readonly states: EditState[];
  private at = 0;
  private lastTyping = 0;

  constructor(initial: EditState) {
    this.states = [initial];
  }

  /** A new state; a run of typing without a pause is one step. */
  record(state: EditState, kind: 'typing' | 'edit' | 'insert'): void {
    if (this.states[this.at]?.value === state.value) return;
    this.states.length = this.at + 1;
    const now = Date.now();
    const sameRun = kind === 'typing' && this.at > 0 && now - this.lastTyping < TYPING_PAUSE_MS;
    this.lastTyping = kind === 'typing' ? now : 0;
    if (sameRun) {
      this.states[this.at] = state;
      return;
    }
    this.states.push(state);
    if (this.states.length > LIMIT) this.states.shift();
    this.at = this.states.length - 1;
  }

  /** The state one step back (-1) or forward (1), if there is one. */
  step(direction: -1 | 1): EditState | undefined {
    const next = this.at + direction;
    if (next < 0 || next >= this.states.length) return undefined;
    this.at = next;
    this.lastTyping = 0;
    return this.states[next];
  }
}
