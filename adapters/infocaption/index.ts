/** InfoCaption: the client interface the competence lifecycle uses, its HTTP implementation and its types. */
export { createInfoCaptionClient, type InfoCaptionClientOptions } from './http-client';
export {
  guideTypes,
  type CourseResult,
  type CourseResultsPage,
  type InfoCaptionClient,
  type InfoCaptionGuide,
  type InfoCaptionGuidesPage,
} from './types';
export { INFOCAPTION, MAX_GUIDES_PER_PAGE, MAX_RESULTS_PER_PAGE } from './limits';
