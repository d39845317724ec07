// Accounting served under /sim/stats: AWS calls by service and action, the
// PodDisruptionBudget violations the Kubernetes side reports, and the machines
// that booted but could not join (with the reason their boot log would give),
// and how the machines of kopsdeck clusters bootstrapped.
import type { BootFailure, BootstrapRecord, PdbViolation, SimStats } from './contracts.js';

export interface SimStatsReport {
  since: number;
  awsCalls: Record<string, number>;
  awsCallsTotal: number;
  pdbViolations: PdbViolation[];
  bootFailures: BootFailure[];
  /** kopsdeck clusters' machines that bootstrapped, and how (init, join-control-plane, restore, join). */
  bootstraps: BootstrapRecord[];
}

export class SimStatsRecorder implements SimStats {
  private awsCalls = new Map<string, number>();
  private violations: PdbViolation[] = [];
  private bootFailures: BootFailure[] = [];
  private bootstraps: BootstrapRecord[] = [];
  private since: number;

  constructor(private readonly now: () => number) {
    this.since = now();
  }

  countAwsCall(service: string, action: string): void {
    const key = `${service}:${action}`;
    this.awsCalls.set(key, (this.awsCalls.get(key) ?? 0) + 1);
  }

  recordPdbViolation(violation: PdbViolation): void {
    this.violations.push(violation);
  }

  recordBootFailure(failure: BootFailure): void {
    this.bootFailures.push(failure);
  }

  recordBootstrap(record: BootstrapRecord): void {
    this.bootstraps.push(record);
  }

  reset(): void {
    this.awsCalls.clear();
    this.violations = [];
    this.bootFailures = [];
    this.bootstraps = [];
    this.since = this.now();
  }

  report(): SimStatsReport {
    const awsCalls = Object.fromEntries([...this.awsCalls].sort(([a], [b]) => a.localeCompare(b)));
    let awsCallsTotal = 0;
    for (const count of this.awsCalls.values()) awsCallsTotal += count;
    return { since: this.since, awsCalls, awsCallsTotal, pdbViolations: [...this.violations], bootFailures: [...this.bootFailures], bootstraps: [...this.bootstraps] };
  }
}
