// A min-heap of timed events: the workload is a set of things due at simulated times
// (device heartbeats, password resets, logins), taken earliest first by the VUs.

export interface Timed {
  /** ms of simulated time since T0 */
  at: number;
}

export class EventQueue<E extends Timed> {
  readonly #heap: E[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(event: E): void {
    const heap = this.#heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as E).at <= event.at) break;
      heap[i] = heap[parent] as E;
      i = parent;
    }
    heap[i] = event;
  }

  peek(): E | undefined {
    return this.#heap[0];
  }

  /** Removes and returns the earliest event. */
  pop(): E | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && (heap[right] as E).at < (heap[left] as E).at ? right : left;
      if ((heap[child] as E).at >= last.at) break;
      heap[i] = heap[child] as E;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
