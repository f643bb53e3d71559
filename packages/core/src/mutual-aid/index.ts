/**
 * Neighbour mutual aid (邻里互助): volunteers, help requests with a place per team role and their
 * lifecycle, matching that explains itself, care plans with scheduled visits, time credits in the
 * ledger, and the coordinator's reports.
 *
 * @module
 */
export * from "./HelpRequest.js"
export * as RequestRules from "./RequestRules.js"
export * as Matching from "./Matching.js"
export { CarePlan, CarePlanId, HealthReadings, Recurrence, Visit } from "./CarePlan.js"
export type { VisitFlag } from "./CarePlan.js"
export * as CarePlans from "./CarePlan.js"
export * as TimeCredits from "./TimeCredits.js"
export * as MutualAidReports from "./Reports.js"
export * from "./MutualAidRepo.js"
export * from "./Inputs.js"
export * from "./MutualAidEvent.js"
export * from "./permissions.js"
export * from "./MutualAidService.js"
export * as MatchIndex from "./MatchIndex.js"
export * as Assignment from "./Assignment.js"
export * as Batch from "./Batch.js"
