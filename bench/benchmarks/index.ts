// Every benchmark, in the order.
import type { Benchmark } from '../lib/types.ts';
import { arrivalRate } from './arrival-rate.ts';
import { faultProxy } from './fault-proxy.ts';
import { httpLoad } from './http.ts';
import { realStorm } from './real-storm.ts';
import { ledgerMemory } from './ledger-memory.ts';
import { listFanout } from './list-fanout.ts';
import { mtaIntake } from './mta-intake.ts';
import { multiCoreRate } from './multi-core-rate.ts';
import { smtpGenerator } from './smtp-generator.ts';

export const BENCHMARKS: readonly Benchmark[] = [smtpGenerator, mtaIntake, listFanout, ledgerMemory, arrivalRate, faultProxy, realStorm, httpLoad, multiCoreRate];
