/** What the InfoCaption client gives (contract with the competence lifecycle, issue 11). */

/** InfoCaption's guide type codes for courses, as its public client code filters them (type[]=14&type[]=18). */
export const guideTypes = { course: 14, physicalCourse: 18 } as const;

export interface InfoCaptionGuide {
  id: number;
  name: string;
  type: number;
  published: boolean;
}

export interface InfoCaptionGuidesPage {
  results: InfoCaptionGuide[];
  totalHits: number;
  totalPages: number;
  currentPage: number;
}

export interface CourseResult {
  /** Stable id of this participant's result in the course. */
  resultId: string;
  userId: number;
  userName: string;
  email: string;
  firstName: string;
  lastName: string;
  passed: boolean;
  /** ISO 8601 instant. */
  completedAt: string;
}

export interface CourseResultsPage {
  guideId: number;
  results: CourseResult[];
  totalHits: number;
  totalPages: number;
  currentPage: number;
}

export interface InfoCaptionClient {
  /** undefined when the guide does not exist or was deleted (404). */
  getGuide(guideId: number): Promise<InfoCaptionGuide | undefined>;
  listGuides(query: {
    page: number;
    hitsPerPage?: number;
    types?: number[];
    searchQuery?: string;
  }): Promise<InfoCaptionGuidesPage>;
  /**
   * Pages in a stable order (completedAt, resultId ascending), so a finished page stays finished while new
   * results append. completedSince (inclusive, ISO) lets the continuous sync ask only for what is new. A
   * deleted guide answers 404: the adapter throws RejectedError with reason NotFound (platform/errors.ts).
   */
  listCourseResults(query: {
    guideId: number;
    page: number;
    hitsPerPage?: number;
    completedSince?: string;
  }): Promise<CourseResultsPage>;
}
