// The calls whose files are to be completed, each at a capture time (its BYE's time plus a
// grace period), first come first served. Checked on every packet of the pass, so the first
// deadline is one plain number field (Infinity: none): the check reads nothing else, and its
// shape never changes whether deadlines are waiting or not.

export class CallDeadlines {
  /** The first deadline, or Infinity when none waits. */
  next = Infinity;
  private readonly callIds: string[] = [];
  private readonly times: number[] = [];
  private head = 0;

  get size(): number {
    return this.callIds.length - this.head;
  }

  /** Call `callId` is due at capture time `at` (after those already waiting). */
  push(callId: string, at: number): void {
    this.callIds.push(callId);
    this.times.push(at);
    if (this.size === 1) this.next = at;
  }

  /** Removes the first call and returns it (undefined when none waits). */
  shift(): string | undefined {
    if (this.size === 0) return undefined;
    const callId = this.callIds[this.head++];
    if (this.head === this.callIds.length) {
      this.callIds.length = this.times.length = this.head = 0;
      this.next = Infinity;
    } else {
      this.next = this.times[this.head] as number;
      // (Taken entries are dropped once they are half the list: memory follows what waits.)
      if (this.head >= 1024 && this.head * 2 >= this.callIds.length) {
        this.callIds.splice(0, this.head);
        this.times.splice(0, this.head);
        this.head = 0;
      }
    }
    return callId;
  }
}
