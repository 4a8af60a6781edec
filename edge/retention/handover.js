// A repository's work handed from queue message to queue message (a run's
// items, item.js; an undo's, undo.js). A message that has done its share
// records `step + 1` in the repository's journal part, then sends the next
// message with that step. A queue may deliver any message again, and KV may
// answer a read with a value a moment old, so each message first works out
// from the part whether it is the one to work now.

/** The journal does not show this message's step yet (a stale read): deliver it again later. */
export class JournalBehind extends Error {
  constructor(message) {
    super(message);
    this.name = "JournalBehind";
  }
}

/**
 * What `message` should do, given `part` as the journal has it:
 *   { work: step }     work at this step (a message without a step, from the
 *                      run's scoping or its resumption, takes the part's)
 *   { resend: step }   it handed on already, and the next message has not
 *                      begun: its hand-over may be lost, so it is sent again
 *                      (unless the journal records it as sent: turnFor)
 *   {}                 nothing: a later message has the repository
 * @throws {JournalBehind}
 */
export function stepFor(message, part) {
  const partStep = part?.step ?? 0;
  if (message.step === undefined || message.step === partStep) {
    if (message.step > 0 && !part) throw new JournalBehind(`the journal has no part for step ${message.step} yet`);
    return { work: partStep };
  }
  if (message.step > partStep) throw new JournalBehind(`the journal shows step ${partStep}, this message is step ${message.step}`);
  if (message.step === partStep - 1 && part.startedStep !== partStep) return { resend: partStep };
  return {};
}

/**
 * `stepFor`, with the journal asked when it says `resend`: a hand-over the
 * journal records as sent (journal.markHandedOn, by run.js after sending)
 * is not sent again, so a message delivered again after its ack was lost
 * does not set two messages to work on the repository.
 * @returns {Promise<{ work?: number, resend?: number }>}
 * @throws {JournalBehind}
 */
export async function turnFor(message, part, journal) {
  const turn = stepFor(message, part);
  if (turn.resend !== undefined && (await journal.handedOn(message, turn.resend))) return {};
  return turn;
}

/**
 * Waits until `intervalMs` (the journal's: a second on KV, which takes one
 * write a second to a key) has passed since the part was last written: the
 * last write may have come from another isolate (the message before this one).
 */
export async function afterLastWrite(part, intervalMs, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)), now = Date.now()) {
  const wait = part?.writtenAt ? Date.parse(part.writtenAt) + intervalMs - now : 0;
  if (wait > 0) await sleep(wait);
}
