/** The one place canonical roster names meet IMS Enterprise and itslearning names, both ways. */
import type { EntityType, GroupKind, PersonRole } from '../../domain/roster';
import type { GroupTypeValue } from './imse-document';

type HierarchyType = Exclude<EntityType, 'person' | 'membership'>;

export const groupTypeOf: Record<HierarchyType, GroupTypeValue> = {
  unit: 'Unit',
  class: 'Class',
  'teaching-group': 'TeachingGroup',
  course: 'Course',
  term: 'Term',
};
export const hierarchyTypeOf: Record<GroupTypeValue, HierarchyType> = {
  Unit: 'unit',
  Class: 'class',
  TeachingGroup: 'teaching-group',
  Course: 'course',
  Term: 'term',
};
export const isGroupKind = (t: HierarchyType): t is GroupKind => t !== 'unit';

export const institutionRoleOf: Record<PersonRole, 'Student' | 'Faculty' | 'Staff'> = {
  student: 'Student',
  teacher: 'Faculty',
  staff: 'Staff',
};
export const personRoleOf: Record<string, PersonRole | undefined> = {
  Student: 'student',
  Faculty: 'teacher',
  Staff: 'staff',
};
