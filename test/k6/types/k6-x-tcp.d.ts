// Test-only: the part of grafana/xk6-tcp's API (k6/x/tcp, v0.2 and later) the exported
// scripts use, as its own index.d.ts declares it, so `tsc` checks script.ts against it.
// @types/k6 describes no extension. Written from reading xk6-tcp's declarations and source.
declare module 'k6/x/tcp' {
  export interface SocketOptions { tags?: Record<string, string> }
  export interface ConnectOptions {
    port: number | string;
    /** default 'localhost' */
    host?: string;
    /** TLS from the first byte, configured by k6's own TLS options; there is no later upgrade */
    tls?: boolean;
    tags?: Record<string, string>;
  }
  export interface WriteOptions {
    /** for string data: utf8 (default), ascii, base64, base64url, hex */
    encoding?: string;
    tags?: Record<string, string>;
  }
  export class Socket {
    constructor(options?: SocketOptions);
    readonly ready_state: 'disconnected' | 'opening' | 'open' | 'destroyed';
    readonly connected: boolean;
    connect(port: number | string, host?: string): Promise<void>;
    connect(options: ConnectOptions): Promise<void>;
    write(data: string | ArrayBuffer, options?: WriteOptions): Promise<void>;
    setTimeout(timeout: number): this;
    destroy(): void;
    /** one listener per event: a second call replaces the first */
    on(event: 'connect' | 'close' | 'timeout', listener: () => void): void;
    on(event: 'data', listener: (data: Uint8Array) => void): void;
    on(event: 'error', listener: (error: Error) => void): void;
  }
}
