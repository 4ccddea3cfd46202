export { MemoryLedger, type MemoryLedgerOptions } from './memory-ledger.ts';
