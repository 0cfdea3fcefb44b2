/** What the WinLas client takes and gives (contract with the competence lifecycle, issue 11). */

export interface WinLasCompetence {
  id: string;
  name: string;
  /** Days a registration stays valid by default; null when the competence does not expire. */
  defaultValidityDays: number | null;
}

export interface WinLasPerson {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface WinLasPersonsPage {
  results: WinLasPerson[];
  totalPages: number;
  currentPage: number;
}

export interface CompetenceRegistration {
  id: string;
  personId: string;
  competenceId: string;
  /** Dates YYYY-MM-DD. */
  validFrom: string;
  validTo: string;
  /** Where the registration came from, e.g. 'infocaption'. */
  source: string;
  /** The integration's idempotency key. */
  externalKey?: string;
}

export interface WinLasClient {
  getCompetence(competenceId: string): Promise<WinLasCompetence | undefined>;
  /** WinLas matches e-mail case-insensitively after trimming; undefined when nobody has it. */
  findPersonByEmail(email: string): Promise<WinLasPerson | undefined>;
  /** The whole person directory page by page (for a backfill that matches many e-mails with few requests). */
  listPersons(query: { page: number; pageSize?: number }): Promise<WinLasPersonsPage>;
  listRegistrations(query: { personId: string; competenceId?: string }): Promise<CompetenceRegistration[]>;
  /** Idempotent by externalKey: the same key again answers the existing registration with created=false. */
  registerCompetence(registration: {
    personId: string;
    competenceId: string;
    validFrom: string;
    validTo: string;
    externalKey: string;
  }): Promise<{ registration: CompetenceRegistration; created: boolean }>;
}
