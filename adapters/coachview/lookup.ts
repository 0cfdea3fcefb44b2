/** How the components a person holds for a course answer a registration lookup; shared by the live
 * lookup and the shared snapshot (CV-6). */
import type { ElearningComponentAnswer } from './schemas';
import type { RegistrationLookup } from './types';

/**
 * Which component the grade return is about. This grade return's own earlier registration comes first
 * (a retry after a push that was processed but whose answer was lost must not fill a second open
 * component, CV-7); then an open one, since Coachview registers a push on the oldest open component;
 * else the latest result.
 */
export function registrationOf(
  personId: string,
  components: ElearningComponentAnswer[],
  own: { result: string; approvalDates: string[] }[],
): RegistrationLookup {
  // The current result first, then the earlier ones this grade return pushed.
  const mine = own
    .map((o) =>
      components.find(
        (c) =>
          c.result === o.result &&
          c.trainingRequestComponent.approvalDate !== null &&
          o.approvalDates.includes(c.trainingRequestComponent.approvalDate.slice(0, 10)),
      ),
    )
    .find((c) => c !== undefined);
  const open = components.find((c) => c.result === null);
  if (!mine && open) return { kind: 'open', personId, componentId: open.id };
  const registered = mine ?? components.at(-1);
  if (!registered || registered.result === null) return { kind: 'component-not-found', personId };
  const approvalDate = registered.trainingRequestComponent.approvalDate;
  return {
    kind: 'registered',
    personId,
    componentId: registered.id,
    result: registered.result,
    ...(approvalDate ? { approvalDate } : {}),
  };
}
