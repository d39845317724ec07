// `kopsdeck validate cluster` output in kops' sections: INSTANCE GROUPS, NODE
// STATUS, VALIDATION ERRORS, then "Your cluster X is ready" or "Validation Failed".
import { stringify } from 'yaml';
import type { ValidationResult } from '../health/validate-cluster-health.js';
import { renderTextTable, type OutputFormat } from './text-table.js';

export function formatValidation(result: ValidationResult, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(result, null, 2) + '\n';
  if (format === 'yaml') return stringify(result);
  const sections = [
    'INSTANCE GROUPS\n' +
      renderTextTable(
        ['NAME', 'ROLE', 'MACHINETYPE', 'MIN', 'MAX', 'SUBNETS'],
        result.instanceGroups.map((ig) => [ig.name, ig.role, ig.machineType, String(ig.min), String(ig.max), ig.zones.join(',')]),
      ),
    'NODE STATUS\n' + renderTextTable(['NAME', 'ROLE', 'READY'], result.nodes.map((n) => [n.name, n.role, n.status])),
  ];
  if (result.failures.length > 0) {
    sections.push('VALIDATION ERRORS\n' + renderTextTable(['KIND', 'NAME', 'MESSAGE'], result.failures.map((f) => [f.kind, f.name, f.message])));
  }
  if (result.tolerated.length > 0) {
    sections.push('TOLERATED\n' + renderTextTable(['KIND', 'NAME', 'MESSAGE'], result.tolerated.map((f) => [f.kind, f.name, f.message])));
  }
  sections.push(result.ok ? `Your cluster ${result.cluster} is ready\n` : 'Validation Failed\n');
  return sections.join('\n');
}
