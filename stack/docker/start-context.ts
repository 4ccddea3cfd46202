// What every step of the docker stack's start shares: the run's options, the validated
// config, the run id its containers are labelled with, the teardown each step adds its undo
// to, the notes the stack description collects, and the TLS certificate when TLS is on.
import type { Clock } from '../../engine/clock.ts';
import type { Directory, OAuthTokens } from '../../directory/index.ts';
import type { StackOptions } from '../types.ts';
import type { StackTeardown } from '../common/teardown.ts';
import type { DockerStackConfig } from './config.ts';
import type { MailSettings } from './spec-settings.ts';
import type { DockerTls } from './tls.ts';

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
  /** With --config tls: starttls|implicit, the certificate and how each part uses it. */
  tls?: DockerTls;
  /** With --config auth: oauth2, the token each account logs in with (Dovecot asks mailstorm's introspection endpoint). */
  tokens?: OAuthTokens;
}
