import type { TeachingGroupMarker } from './config';
import type { ActivityRow } from './rows';

/**
 * PC-6: is the activity marked as a teaching group? The standard marker is the text PORTAL in the
 * "other" field, matched case-sensitively so that free text such as "ej i portalen" does not count.
 * The customer option matches a prefix or suffix of the name exactly as configured (e.g. " Teams").
 */
export function isMarkedTeachingGroup(
  activity: Pick<ActivityRow, 'otherText' | 'activityName'>,
  marker: TeachingGroupMarker,
): boolean {
  switch (marker.kind) {
    case 'other-contains':
      return activity.otherText?.includes(marker.text) ?? false;
    case 'name-prefix':
      return activity.activityName?.startsWith(marker.text) ?? false;
    case 'name-suffix':
      return activity.activityName?.endsWith(marker.text) ?? false;
  }
}
