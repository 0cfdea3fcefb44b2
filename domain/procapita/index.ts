/**
 * ProCapita reader rules (PC-2..PC-8), pure: configuration, row shapes, the per-entity rules, the
 * e-mail mapping, and `buildExport` which turns one snapshot of rows into the export and its summary.
 */
export * from './config';
export * from './dates';
export * from './rows';
export * from './export';
export * from './personnummer';
export * from './email-mapping';
export { isMarkedTeachingGroup } from './marker';
export * from './windows';
export { schoolExclusion, schoolExclusionReasons, type SchoolExclusion } from './school';
export {
  isPlacementAtExportedSchool,
  studentExclusion,
  studentExclusionReasons,
  type StudentExclusion,
} from './student';
export { isActiveEmployment, staffExclusion, staffExclusionReasons, type StaffExclusion } from './staff';
export { classExclusion, classExclusionReasons, type ClassExclusion } from './class';
export {
  isActiveParent,
  teachingGroupExclusion,
  teachingGroupExclusionReasons,
  type TeachingGroupExclusion,
} from './teaching-group';
export { personAttributes } from './attributes';
export { buildExport, type ProcapitaExportResult } from './build-export';
