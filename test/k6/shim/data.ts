// Test-only stand-in for k6/data: a SharedArray is the array its init function returns.
export class SharedArray<T> extends Array<T> {
  constructor(_name: string, init: () => T[]) {
    super();
    this.push(...init());
  }
}
