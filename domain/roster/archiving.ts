/**
 * Course and term archiving (IMSE-8, IMSE-9) as a plan step: a course or term the integration
 * created that has left the source is archived, never deleted. Pure; the planner sorts the result.
 *
 * - A course whose delete the diff planned is archived: the target detaches it from its hierarchy
 *   group and turns its synced participants into manual ones, so the plan drops the deletes of its
 *   memberships. A course the target already shows detached was archived by an earlier run (and
 *   perhaps un-archived by hand since): it is left as it is.
 * - A course that returns to the source while detached is updated with its parent again (the diff
 *   sees the parent differ): the target re-attaches it and syncs the new participants, but it stays
 *   archived until someone un-archives it by hand. The step only notes it.
 * - A term's delete becomes an archive, unless the target already shows it archived.
 */
import type { Operation, SyncPlan } from './plan';
import type { PlanContext } from './policy';
import type { TargetGroup } from './target';

export interface ArchivingOptions {
  /** IMSE-8; off per integration means course deletes stay deletes. Terms are archived either way. */
  courses: boolean;
}

export function archiveInsteadOfDelete(options: ArchivingOptions) {
  return (plan: SyncPlan, ctx: PlanContext): SyncPlan => {
    // Most days nothing is archived: the plan is then passed on without copying its operations.
    if (!plan.operations.some(concernsArchiving)) return plan;
    const ours = new Map<string, TargetGroup>();
    for (const group of ctx.target.groups) {
      if (group.syncSource === ctx.policy.syncKeySource) ours.set(group.sourcedId, group);
    }
    const archived = { course: 0, term: 0 };
    let leftAsTheyAre = 0;
    let returned = 0;
    // Courses whose memberships the target keeps (as manual participants) rather than deleting.
    const keptCourses = new Set<string>();
    const out: Operation[] = [];
    for (const operation of plan.operations) {
      const { entityType, op } = operation;
      if (entityType === 'course' && op === 'update') {
        const target = ours.get(operation.record.sourcedId);
        if (target?.archived && target.detachedFromHierarchy && operation.record.parentId) returned++;
      }
      const archivable = (entityType === 'course' && options.courses) || entityType === 'term';
      if (op !== 'delete' || !archivable) {
        out.push(operation);
        continue;
      }
      const target = ours.get(operation.record.sourcedId);
      const done = entityType === 'course' ? target?.detachedFromHierarchy : target?.archived;
      if (entityType === 'course') keptCourses.add(operation.record.sourcedId);
      if (done) {
        leftAsTheyAre++;
        continue;
      }
      archived[entityType]++;
      out.push({ ...operation, op: 'archive' });
    }
    const operations = out.filter(
      (o) => !(o.entityType === 'membership' && o.op === 'delete' && keptCourses.has(o.record.groupId)),
    );
    const notes = [...plan.notes];
    if (archived.course > 0) {
      notes.push(
        `Course archiving: ${archived.course} course(s) whose group left the source are archived and detached from the hierarchy, not deleted; their synced participants become manual participants.`,
      );
    }
    if (archived.term > 0)
      notes.push(`Term archiving: ${archived.term} term(s) left the source and are archived.`);
    if (leftAsTheyAre > 0) {
      notes.push(
        `${leftAsTheyAre} course(s) or term(s) archived by an earlier run are left as they are (also when un-archived by hand).`,
      );
    }
    if (returned > 0) {
      notes.push(
        `${returned} archived course(s) whose group returned are attached to the hierarchy again and synced; they stay archived until un-archived by hand.`,
      );
    }
    return { ...plan, operations, notes };
  };
}

/** A course's update or delete, or a term's delete: what the step may change or count. */
function concernsArchiving(operation: Operation): boolean {
  const { entityType, op } = operation;
  return (
    (entityType === 'course' && (op === 'update' || op === 'delete')) ||
    (entityType === 'term' && op === 'delete')
  );
}
