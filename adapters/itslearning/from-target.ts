/** itslearning's entities in canonical shape, for the planner. */
import {
  membershipRoles,
  type MembershipRole,
  type PersonRole,
  type TargetGroup,
  type TargetMembership,
  type TargetPerson,
  type TargetUnit,
} from '../../domain/roster';
import { hierarchyTypeOf, isGroupKind, personRoleOf } from './canonical-mapping';
import { groupTypeValues, type GroupTypeValue } from './imse-document';
import type { GroupItem, MembershipItem, PersonItem } from './schemas';

const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export function personFromItem(item: PersonItem): TargetPerson | undefined {
  if (!item.syncKey) return undefined;
  const roles = item.institutionRoles
    .map((r) => personRoleOf[r])
    .filter((r): r is PersonRole => r !== undefined);
  return {
    sourcedId: item.syncKey.id,
    givenName: item.firstName,
    familyName: item.lastName,
    userName: orUndefined(item.userName),
    email: orUndefined(item.email),
    nationalId: orUndefined(item.nationalId),
    roles,
    syncSource: item.syncKey.source,
  };
}

/** A group as a unit or a group of a kind; groups of types the integration does not write are left out. */
export function hierarchyFromItem(
  item: GroupItem,
): { unit: TargetUnit } | { group: TargetGroup } | undefined {
  if (!item.syncKey || !groupTypeValues.includes(item.type as GroupTypeValue)) return undefined;
  const type = hierarchyTypeOf[item.type as GroupTypeValue];
  const base = {
    sourcedId: item.syncKey.id,
    name: item.title,
    parentId: item.parentSyncKey?.id,
    syncSource: item.syncKey.source,
  };
  if (!isGroupKind(type)) return { unit: base };
  return {
    group: {
      ...base,
      kind: type,
      description: orUndefined(item.description),
      termId: item.termSyncKey?.id,
      start: orUndefined(item.start),
      end: orUndefined(item.end),
      archived: item.archived,
      detachedFromHierarchy: item.detachedFromHierarchy,
    },
  };
}

export function membershipFromItem(item: MembershipItem): TargetMembership | undefined {
  if (!item.groupSyncKey || !item.personSyncKey) return undefined;
  if (!membershipRoles.includes(item.role as MembershipRole)) return undefined;
  return {
    groupId: item.groupSyncKey.id,
    personId: item.personSyncKey.id,
    role: item.role as MembershipRole,
    syncSource: item.syncSource,
  };
}
