/**
 * Praktikportalen: the shapes and the client the flow sync uses. No public API: modelled on seed 003;
 * docs/wiseflow-apis.md says what is assumed. Contract between W1 and W2 (issue 12): fields and
 * methods may be added, never removed or renamed.
 */
export interface InternshipSupervisor {
  praktikportalenId: string;
  firstName: string;
  lastName: string;
  email: string;
}

export interface InternshipStudent {
  praktikportalenId: string;
  firstName: string;
  lastName: string;
  email: string;
}

export interface InternshipPeriod {
  periodNumber: string;
  title: string;
  /** YYYY-MM-DD */
  startDate: string;
  endDate: string;
  students: InternshipStudent[];
  supervisors: InternshipSupervisor[];
}

export interface PraktikportalenClient {
  getPeriod(periodNumber: string): Promise<InternshipPeriod | undefined>;
  /** Shows the supervisor's WISEflow login link in Praktikportalen; replaces the one shown before (idempotent by token). */
  publishAccessLink(link: {
    periodNumber: string;
    praktikportalenId: string;
    url: string;
    expires: number;
  }): Promise<void>;
}
