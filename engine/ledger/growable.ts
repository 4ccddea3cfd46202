// Typed arrays that grow by doubling, so per-delivery state costs a few bytes instead of an object.

export class GrowableInt32 {
  data = new Int32Array(1024);
  length = 0;

  push(value: number): number {
    if (this.length === this.data.length) this.data = grow(this.data, new Int32Array(this.data.length * 2));
    this.data[this.length] = value;
    return this.length++;
  }

  /** Reserves `count` slots at the end and returns the first index. */
  reserve(count: number): number {
    const needed = this.length + count;
    if (needed > this.data.length) {
      let size = this.data.length * 2;
      while (size < needed) size *= 2;
      this.data = grow(this.data, new Int32Array(size));
    }
    const start = this.length;
    this.length = needed;
    return start;
  }
}

export class GrowableUint8 {
  data = new Uint8Array(1024);

  /** Makes sure index `length - 1` exists (new slots are zero). */
  ensure(length: number): void {
    if (length <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < length) size *= 2;
    this.data = grow(this.data, new Uint8Array(size));
  }
}

export class GrowableFloat64 {
  data = new Float64Array(256);
  length = 0;

  push(value: number): number {
    if (this.length === this.data.length) this.data = grow(this.data, new Float64Array(this.data.length * 2));
    this.data[this.length] = value;
    return this.length++;
  }
}

function grow<T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T): T {
  (to as Int32Array).set(from as Int32Array);
  return to;
}
