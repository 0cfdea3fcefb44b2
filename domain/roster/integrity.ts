import { membershipKey, type Roster } from './model';

export interface RosterIssue {
  entityType: 'person' | 'unit' | 'group' | 'membership';
  key: string;
  problem: string;
}

/**
 * Checks that a roster hangs together: unique sync keys (units and groups share one namespace, as
 * in IMS Enterprise), parents and terms that exist, memberships of known persons and groups, and
 * no cycles among units. The planner assumes a roster without issues.
 */
export function rosterIssues(roster: Roster): RosterIssue[] {
  const issues: RosterIssue[] = [];
  const persons = new Set<string>();
  for (const p of roster.persons) {
    if (persons.has(p.sourcedId))
      issues.push({ entityType: 'person', key: p.sourcedId, problem: 'duplicate sync key' });
    persons.add(p.sourcedId);
  }
  const units = new Map(roster.units.map((u) => [u.sourcedId, u]));
  const hierarchy = new Map<string, string>();
  for (const u of roster.units) {
    if (hierarchy.has(u.sourcedId))
      issues.push({ entityType: 'unit', key: u.sourcedId, problem: 'duplicate sync key' });
    hierarchy.set(u.sourcedId, 'unit');
  }
  for (const g of roster.groups) {
    if (hierarchy.has(g.sourcedId))
      issues.push({ entityType: 'group', key: g.sourcedId, problem: 'duplicate sync key' });
    hierarchy.set(g.sourcedId, g.kind);
  }
  for (const u of roster.units) {
    if (u.parentId !== undefined && !units.has(u.parentId)) {
      issues.push({
        entityType: 'unit',
        key: u.sourcedId,
        problem: `parent unit ${u.parentId} is not in the roster`,
      });
    }
    const seen = new Set([u.sourcedId]);
    for (let parent = u.parentId; parent !== undefined; parent = units.get(parent)?.parentId) {
      if (seen.has(parent)) {
        issues.push({ entityType: 'unit', key: u.sourcedId, problem: 'the unit is its own ancestor' });
        break;
      }
      seen.add(parent);
    }
  }
  for (const g of roster.groups) {
    if (g.parentId !== undefined && !hierarchy.has(g.parentId)) {
      issues.push({
        entityType: 'group',
        key: g.sourcedId,
        problem: `parent ${g.parentId} is not in the roster`,
      });
    }
    if (g.termId !== undefined && hierarchy.get(g.termId) !== 'term') {
      issues.push({
        entityType: 'group',
        key: g.sourcedId,
        problem: `term ${g.termId} is not in the roster`,
      });
    }
  }
  const memberships = new Set<string>();
  for (const m of roster.memberships) {
    const key = membershipKey(m);
    if (memberships.has(key)) issues.push({ entityType: 'membership', key, problem: 'duplicate membership' });
    memberships.add(key);
    if (!persons.has(m.personId))
      issues.push({ entityType: 'membership', key, problem: `person ${m.personId} is not in the roster` });
    if (!hierarchy.has(m.groupId))
      issues.push({ entityType: 'membership', key, problem: `group ${m.groupId} is not in the roster` });
  }
  return issues;
}
