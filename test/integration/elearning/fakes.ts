import type { Completion } from '../../../domain/grade-return/completion';
import { gradeReturnWorkflowId } from '../../../platform/names';

/** A startGradeReturn that behaves like starting a workflow with a deterministic id: once per learner and course. */
export function fakeGradeReturnStarter(): {
  start: (c: Completion) => Promise<'started' | 'duplicate'>;
  calls: Completion[];
  started: Map<string, Completion>;
  failNext: (n: number) => void;
} {
  const calls: Completion[] = [];
  const started = new Map<string, Completion>();
  let failures = 0;
  return {
    calls,
    started,
    failNext: (n) => {
      failures = n;
    },
    start: async (c) => {
      calls.push(c);
      if (failures > 0) {
        failures--;
        throw new Error('Temporal is unavailable');
      }
      const id = gradeReturnWorkflowId(c.source, c.courseId, c.learnerId);
      if (started.has(id)) return 'duplicate';
      started.set(id, c);
      return 'started';
    },
  };
}
