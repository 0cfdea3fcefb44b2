import type { Roster } from '../../domain/roster';

/**
 * Where the roster comes from (ProCapita's database, or a fixture of the same rows). `report` is
 * counts only (exported and excluded per reason): it travels through workflow history, records never do.
 */
export interface RosterSource {
  read(syncDate: string): Promise<{
    roster: Roster;
    report: Record<string, unknown>;
    /** Problems in the source's data an operator should fix there (IMSE-12), e.g. duplicate school rows. */
    warnings?: string[];
  }>;
}
