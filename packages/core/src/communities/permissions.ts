/**
 * The permissions of the communities domain.
 *
 * @module
 */
import { permissions } from "../kernel/Policy.js"

/**
 * - `communities:create`: provision a community (the installation's admin).
 * - `communities:read`: read one's own community (everyone who acts in it).
 */
export const CommunityPermissions = permissions("communities", {
  create: ["admin"],
  read: ["admin", "staff", "grid_worker", "volunteer", "resident"]
})
