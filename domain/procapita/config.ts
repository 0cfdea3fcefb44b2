/** The reader's configuration: which schools to read, how teaching groups are marked, what to export. */
import { z } from 'zod';

export const schoolSelectionSchema = z.object({
  /** The school unit's id as the `pc_school` view gives it. */
  schoolId: z.string().trim().min(1),
  /** The school form (skolform), e.g. `GR`, `GY`; must equal the view's `schoolForm` (PC-2). */
  schoolForm: z.string().trim().min(1),
});

export const teachingGroupMarkerSchema = z.discriminatedUnion('kind', [
  /** The standard: the activity's "other" (övrigt) field contains the text, case-sensitively. */
  z.object({ kind: z.literal('other-contains'), text: z.string().min(1).default('PORTAL') }),
  /** Customer option: the activity's name starts with the text, e.g. `Teams `. */
  z.object({ kind: z.literal('name-prefix'), text: z.string().min(1) }),
  /** Customer option: the activity's name ends with the text, e.g. ` Teams`. */
  z.object({ kind: z.literal('name-suffix'), text: z.string().min(1) }),
]);

export const procapitaReaderConfigSchema = z.object({
  schools: z
    .array(schoolSelectionSchema)
    .min(1, 'list at least one school')
    .refine((s) => new Set(s.map((x) => x.schoolId)).size === s.length, 'each schoolId may be listed once'),
  teachingGroupMarker: teachingGroupMarkerSchema.default({ kind: 'other-contains', text: 'PORTAL' }),
  /** Export personnummer (PC-7); off by default, as the vendor recommends. */
  includeNationalId: z.boolean().default(false),
  /** CSV `id,email` filling missing e-mail addresses (PC-8); `id` is a ProCapita guid or a personnummer. */
  emailMappingCsv: z.string().min(1).optional(),
  /**
   * A person still without e-mail after the mapping: `export` them without e-mail (default), or
   * `hold-back` (customers whose package requires e-mail). Either way the summary reports them.
   */
  personsWithoutEmail: z.enum(['export', 'hold-back']).default('export'),
});

export type ProcapitaReaderConfig = z.output<typeof procapitaReaderConfigSchema>;
export type ProcapitaReaderConfigInput = z.input<typeof procapitaReaderConfigSchema>;
export type TeachingGroupMarker = z.output<typeof teachingGroupMarkerSchema>;
export type SchoolSelection = z.output<typeof schoolSelectionSchema>;
