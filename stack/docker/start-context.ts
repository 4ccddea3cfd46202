// What every step of the docker stack's start shares: the run's options, the validated
// config, the run id its containers are labelled with, the teardown each step adds its undo
// to, and the notes the stack description collects.
import type { Clock } from '../../engine/clock.ts';
import type { Directory } from '../../directory/index.ts';
import type { StackOptions } from '../types.ts';
import type { StackTeardown } from '../common/teardown.ts';
import type { DockerStackConfig } from './config.ts';
import type { MailSettings } from './spec-settings.ts';

export interface DockerStart {
  options: StackOptions;
  config: DockerStackConfig;
  runId: string;
  teardown: StackTeardown;
  directory: Directory;
  settings: MailSettings;
  /** Arrivals are stamped with the run's wall clock, so delivery latency stays in real ms when policy time is compressed. */
  wallClock: Clock;
  notes: string[];
}
