/**
 * The communities domain: the tenant every record belongs to.
 *
 * @module
 */
export * from "./Community.js"
export * from "./CommunityEvent.js"
export * from "./CommunityRepo.js"
export * from "./permissions.js"
export * from "./Communities.js"
