/**
 * Realistic synthetic ProCapita data for the demo, the tests and the benchmark: Swedish names, valid
 * personnummer, protected identities and addresses, deregistered and deceased students, placements and
 * activities spread around the sync date (some starting within the lead days, some ended), and missing
 * e-mail addresses of which a mapping CSV covers some, not all. Deterministic for a given seed.
 */
import { z } from 'zod';
import { teachingGroupMarkerSchema, type ProcapitaReaderConfig } from '../config';
import { addDays, calendarDateSchema, type CalendarDate } from '../dates';
import { formatPersonnummer } from '../personnummer';
import type {
  ActivityRow,
  ClassRow,
  GroupRow,
  ProcapitaRows,
  SchoolRow,
  StaffRow,
  StudentRow,
} from '../rows';
import { emailLocalPart, femaleFirstNames, lastNames, maleFirstNames, placeNames, subjects } from './names';
import { createRandom, type Random } from './prng';

export const generatorOptionsSchema = z.object({
  seed: z.union([z.string(), z.number()]),
  students: z.number().int().min(1),
  staff: z.number().int().min(1),
  classes: z.number().int().min(1),
  teachingGroups: z.number().int().min(0),
  /** Student groups (grupper) that activities may link to instead of classes; default classes / 4. */
  groups: z.number().int().min(0).optional(),
  /** Configured, active schools; default one per 25 classes. Three more schools are always excluded. */
  schools: z.number().int().min(1).optional(),
  syncDate: calendarDateSchema,
  teachingGroupMarker: teachingGroupMarkerSchema.default({ kind: 'other-contains', text: 'PORTAL' }),
});
export type GeneratorOptions = z.input<typeof generatorOptionsSchema>;

export interface GeneratedProcapita {
  rows: ProcapitaRows;
  /** A reader configuration listing the active schools (plus one ended and one with a mismatched form). */
  config: ProcapitaReaderConfig;
  /** `id,email` for some of the persons without e-mail in ProCapita. */
  emailMappingCsv: string;
}

/** Start and end of the school year the sync date falls in (mid-August to mid-June). */
function schoolYear(syncDate: CalendarDate): { start: CalendarDate; end: CalendarDate } {
  const year = Number(syncDate.slice(0, 4));
  const startYear = syncDate.slice(5) >= '08-01' ? year : year - 1;
  return { start: `${startYear}-08-18`, end: `${startYear + 1}-06-12` };
}

/** Dates for a class, group or activity: most in the current year, some ahead, some ended. */
function containerDates(random: Random, syncDate: CalendarDate) {
  const year = schoolYear(syncDate);
  const r = random.next();
  if (r < 0.05) {
    const start = addDays(syncDate, random.int(1, 14));
    return { startDate: start, endDate: addDays(start, 300) };
  }
  if (r < 0.07) return { startDate: addDays(syncDate, 1), endDate: addDays(syncDate, 300) };
  if (r < 0.1) {
    const start = addDays(syncDate, random.int(15, 40));
    return { startDate: start, endDate: addDays(start, 300) };
  }
  if (r < 0.14) return { startDate: addDays(syncDate, -300), endDate: addDays(syncDate, -random.int(1, 30)) };
  if (r < 0.15) return { startDate: year.start, endDate: null };
  return {
    startDate: year.start <= syncDate ? year.start : addDays(syncDate, -30),
    endDate: year.end < syncDate ? addDays(syncDate, 200) : year.end,
  };
}

function person(random: Random, syncDate: CalendarDate, minAge: number, maxAge: number, taken: Set<string>) {
  const female = random.chance(0.5);
  const firstName = random.pick(female ? femaleFirstNames : maleFirstNames);
  const lastName = random.pick(lastNames);
  let nationalId: string;
  do {
    const birth = addDays(syncDate, -random.int(minAge * 365, maxAge * 365));
    // The third birth digit is odd for men and even for women.
    const birthNumber = random.int(0, 49) * 20 + random.int(0, 4) * 2 + (female ? 0 : 1);
    nationalId = formatPersonnummer(birth, birthNumber);
  } while (taken.has(nationalId));
  taken.add(nationalId);
  // In the reader's column order (sql/procapita), as the rows the database gives.
  return { nationalId, firstName, lastName };
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds a municipality's worth of ProCapita rows in well under a second per 10,000 students. */
export function generateProcapitaRows(options: GeneratorOptions): GeneratedProcapita {
  const opts = generatorOptionsSchema.parse(options);
  const random = createRandom(opts.seed);
  const { syncDate } = opts;
  const year = schoolYear(syncDate);
  const takenIds = new Set<string>();
  const usedEmails = new Map<string, number>();
  const email = (first: string, last: string, domain: string) => {
    const base = `${emailLocalPart(first)}.${emailLocalPart(last)}`;
    const n = (usedEmails.get(base) ?? 0) + 1;
    usedEmails.set(base, n);
    return `${base}${n === 1 ? '' : n}@${domain}`;
  };
  const mapping: string[] = ['id,email'];

  const activeSchoolCount = opts.schools ?? Math.max(1, Math.ceil(opts.classes / 25));
  const schools: SchoolRow[] = [];
  for (let i = 0; i < activeSchoolCount + 3; i++) {
    const form = i % 5 === 4 ? 'GY' : 'GR';
    const ended = i === activeSchoolCount + 1;
    schools.push({
      schoolId: `SKOLA-${String(i + 1).padStart(3, '0')}`,
      schoolForm: form,
      schoolName: `${placeNames[i % placeNames.length]}${form === 'GY' ? 'gymnasiet' : 'skolan'}${i >= placeNames.length ? ` ${Math.floor(i / placeNames.length) + 1}` : ''}`,
      startDate: '2000-07-01',
      endDate: ended ? addDays(syncDate, -1) : '2099-06-30',
    });
  }
  const activeSchools = schools.slice(0, activeSchoolCount);
  // Three schools that must not be exported: not configured, ended, configured with another school form.
  const config: ProcapitaReaderConfig = {
    schools: [
      ...activeSchools.map((s) => ({ schoolId: s.schoolId, schoolForm: s.schoolForm })),
      {
        schoolId: schools[activeSchoolCount + 1]!.schoolId,
        schoolForm: schools[activeSchoolCount + 1]!.schoolForm,
      },
      { schoolId: schools[activeSchoolCount + 2]!.schoolId, schoolForm: 'GRS' },
    ],
    teachingGroupMarker: opts.teachingGroupMarker,
    includeNationalId: false,
    personsWithoutEmail: 'export',
  };
  const schoolOf = (i: number): SchoolRow =>
    i % 100 === 99 ? schools[activeSchoolCount + (i % 3)]! : activeSchools[i % activeSchoolCount]!;

  const staff: StaffRow[] = [];
  const employments: ProcapitaRows['employments'] = [];
  const staffBySchool = new Map<string, string[]>();
  for (let i = 0; i < opts.staff; i++) {
    const p = person(random, syncDate, 23, 65, takenIds);
    const staffId = random.guid();
    const school = i < activeSchoolCount ? activeSchools[i]! : schoolOf(random.int(0, opts.staff));
    const hasEmail = !random.chance(0.03);
    staff.push({
      staffId,
      ...p,
      email: hasEmail ? email(p.firstName, p.lastName, 'kommun.example') : null,
      protectedIdentity: random.chance(0.003),
      protectedAddress: random.chance(0.002),
      deceased: random.chance(0.0005),
    });
    if (!hasEmail && random.chance(0.7))
      mapping.push(`${staffId},${email(p.firstName, p.lastName, 'ad.kommun.example')}`);
    const ended = random.chance(0.03);
    employments.push({
      staffId,
      schoolId: school.schoolId,
      endDate: ended ? addDays(syncDate, -random.int(1, 200)) : random.chance(0.2) ? year.end : null,
    });
    append(staffBySchool, school.schoolId, staffId);
  }
  const teachersAt = (schoolId: string, n: number): string[] => {
    const pool = staffBySchool.get(schoolId) ?? [];
    return pool.length === 0 ? [] : [...new Set(Array.from({ length: n }, () => random.pick(pool)))];
  };

  const classes: ClassRow[] = [];
  const classTeachers: ProcapitaRows['classTeachers'] = [];
  const classesBySchool = new Map<string, ClassRow[]>();
  for (let i = 0; i < opts.classes; i++) {
    const school = schoolOf(i);
    const grade = school.schoolForm === 'GY' ? `NA${random.int(1, 3)}` : String(random.int(1, 9));
    const cls: ClassRow = {
      classId: random.guid(),
      schoolId: school.schoolId,
      className: `${grade}${'ABCDEFGH'[i % 8]}`,
      ...containerDates(random, syncDate),
    };
    classes.push(cls);
    append(classesBySchool, school.schoolId, cls);
    if (!random.chance(0.02)) {
      for (const staffId of teachersAt(school.schoolId, random.int(1, 2)))
        classTeachers.push({ classId: cls.classId, staffId });
    }
  }

  const students: StudentRow[] = [];
  const classPlacements: ProcapitaRows['classPlacements'] = [];
  const studentsByClass = new Map<string, string[]>();
  for (let i = 0; i < opts.students; i++) {
    const p = person(random, syncDate, 6, 19, takenIds);
    const studentId = random.guid();
    const cls = classes[i % classes.length]!;
    const hasEmail = !random.chance(0.04);
    students.push({
      studentId,
      ...p,
      email: hasEmail ? email(p.firstName, p.lastName, 'elev.kommun.example') : null,
      protectedIdentity: random.chance(0.005),
      protectedAddress: random.chance(0.003),
      deregistered: random.chance(0.004),
      deceased: random.chance(0.0005),
    });
    if (!hasEmail) {
      const r = random.next();
      const address = email(p.firstName, p.lastName, 'ad.elev.kommun.example');
      if (r < 0.4) mapping.push(`${studentId},${address}`);
      else if (r < 0.7) mapping.push(`${p.nationalId},${address}`);
    }
    const future = random.chance(0.01);
    classPlacements.push({
      studentId,
      classId: cls.classId,
      startDate: future ? addDays(syncDate, random.int(2, 60)) : cls.startDate,
      endDate: random.chance(0.02) ? addDays(syncDate, -random.int(1, 60)) : null,
    });
    if (random.chance(0.03)) {
      const old = random.pick(classes);
      classPlacements.push({
        studentId,
        classId: old.classId,
        startDate: addDays(syncDate, -400),
        endDate: addDays(syncDate, -random.int(1, 40)),
      });
    }
    append(studentsByClass, cls.classId, studentId);
  }

  const groupCount = opts.groups ?? Math.ceil(opts.classes / 4);
  const groups: GroupRow[] = [];
  const groupMembers: ProcapitaRows['groupMembers'] = [];
  const groupsBySchool = new Map<string, GroupRow[]>();
  for (let i = 0; i < groupCount; i++) {
    const school = schoolOf(i);
    const group: GroupRow = {
      groupId: random.guid(),
      schoolId: school.schoolId,
      groupName: `${random.pick(subjects)} grupp ${i + 1}`,
      ...containerDates(random, syncDate),
    };
    groups.push(group);
    append(groupsBySchool, school.schoolId, group);
    const schoolClasses = classesBySchool.get(school.schoolId) ?? [];
    const size = random.int(40, 120);
    const members = new Set<string>();
    for (let k = 0; k < size * 2 && members.size < size && schoolClasses.length > 0; k++) {
      const candidates = studentsByClass.get(random.pick(schoolClasses).classId) ?? [];
      if (candidates.length > 0) members.add(random.pick(candidates));
    }
    for (const studentId of members) {
      groupMembers.push({ groupId: group.groupId, studentId, startDate: group.startDate, endDate: null });
    }
  }

  const activities: ActivityRow[] = [];
  const activityLinks: ProcapitaRows['activityLinks'] = [];
  const activityStaff: ProcapitaRows['activityStaff'] = [];
  for (let i = 0; i < opts.teachingGroups; i++) {
    const school = schoolOf(i);
    const schoolClasses = classesBySchool.get(school.schoolId) ?? [];
    const schoolGroups = groupsBySchool.get(school.schoolId) ?? [];
    const subject = random.pick(subjects);
    const activityId = random.guid();
    const r = random.next();
    let label: string = subject;
    if (r < 0.2 && schoolGroups.length > 0) {
      const group = random.pick(schoolGroups);
      activityLinks.push({ activityId, classId: null, groupId: group.groupId });
      label = `${subject} ${group.groupName}`;
    } else if (schoolClasses.length > 0) {
      // Subjects are often taught across parallel classes: most groups link two to four classes,
      // which gives a municipality its ~8 teaching-group memberships per student.
      const linked = new Set([random.pick(schoolClasses)]);
      if (r >= 0.3) linked.add(random.pick(schoolClasses));
      if (r >= 0.45) linked.add(random.pick(schoolClasses));
      if (r >= 0.6) linked.add(random.pick(schoolClasses));
      for (const cls of linked) activityLinks.push({ activityId, classId: cls.classId, groupId: null });
      label = `${subject} ${[...linked].map((c) => c.className).join('/')}`;
    }
    const marked = random.next();
    activities.push({
      activityId,
      schoolId: school.schoolId,
      activityName: random.chance(0.3) ? `${label} Teams` : label,
      otherText:
        marked < 0.85
          ? 'PORTAL'
          : marked < 0.9
            ? `Lokal: B${random.int(100, 399)} PORTAL`
            : marked < 0.95
              ? 'ej i portalen'
              : null,
      ...(random.chance(0.04)
        ? { startDate: year.start, endDate: syncDate }
        : random.chance(0.1)
          ? { startDate: null, endDate: null }
          : containerDates(random, syncDate)),
    });
    if (!random.chance(0.02)) {
      for (const staffId of teachersAt(school.schoolId, random.int(1, 2)))
        activityStaff.push({ activityId, staffId });
    }
  }

  return {
    rows: {
      schools,
      students,
      classPlacements,
      staff,
      employments,
      classes,
      classTeachers,
      groups,
      groupMembers,
      activities,
      activityLinks,
      activityStaff,
    },
    config,
    emailMappingCsv: `${mapping.join('\n')}\n`,
  };
}
