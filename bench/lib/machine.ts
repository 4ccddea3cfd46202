// What the figures were measured on: CPUs, memory, load, Node, package and peer versions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_DIR } from './processes.ts';

const PACKAGES = ['smtp-server', 'nodemailer', 'toxiproxy-node-client', 'hdr-histogram-js', 'tsx', 'typescript'];

export function describeMachine(peerVersions: Record<string, string>): Record<string, unknown> {
  const cpus = os.cpus();
  const packages: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      packages[name] = (JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      packages[name] = 'missing';
    }
  }
  const mailstorm = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8')) as { version: string };
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    mailstorm: mailstorm.version,
    packages,
    peers: peerVersions,
  };
}
