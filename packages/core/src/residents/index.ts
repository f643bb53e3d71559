/**
 * The resident registry domain.
 *
 * @module
 */
export * from "./Resident.js"
export * from "./ResidentEvent.js"
export * from "./ResidentRepo.js"
export * from "./permissions.js"
export * as ResidentRules from "./ResidentRules.js"
export * from "./Residents.js"
